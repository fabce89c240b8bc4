import { clipToWidth } from '../display-width.ts';
import { capped, RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { wrapNote } from '../wrap-note.ts';
import { digLine } from './dig-into-user.ts';
import {
  FAILED_ADDRESSES_HEADING,
  FAILED_ADDRESSES_INTRO,
  FAILED_USERS_HEADING,
  FAILED_USERS_INTRO,
  failedAddressesLeftOut,
  failedAddressFigures,
  failedUsersLeftOut,
  failuresWithoutUserSentence,
  lastFailedActivity,
  userAddressesLine,
} from './failed-login-figures.ts';
import {
  FAILED_NETWORKS_ELSEWHERE,
  FAILED_NETWORKS_HEADING,
  FAILED_NETWORKS_INTRO,
  failedNetworkFigures,
  failedNetworkLabel,
  failedNetworksLeftOut,
  failedNetworksShown,
  singleAddressSentence,
} from './failed-network-figures.ts';
import { oneLine } from './flat-text.ts';
import { formatCount, plural } from './number-format.ts';
import type { FailedLoginUser, WeeklyReportModel } from './report-model.ts';
import { placeLabel } from './suspicious-labels.ts';
import { columns } from './text-columns.ts';
import { digLines } from './text-dig-line.ts';
import { columnNames, NAME_WIDTH } from './text-names.ts';
import { heading, prose } from './text-prose.ts';
import { formatLocalWeekdayTime } from './time-format.ts';
import { noFailedLoginsSentence, notCountedSentences } from './uncounted-sign-ins.ts';

/**
 * The failed-logins "Last" cell: `locked Wed 18 Nov 09:06`, `Fri 20 Nov 22:59`, or failures after a
 * lockout `Fri 20 Nov 22:59 (locked Wed 09:06)` (the lockout's day needs no date within the week).
 */
function lastCell(f: FailedLoginUser, when: (ts: string | null) => string, zone: string): string {
  const last = lastFailedActivity(f);
  if (last.locked) return `locked ${when(last.at)}`;
  const before = last.lockedBefore
    ? ` (locked ${clipToWidth(oneLine(formatLocalWeekdayTime(last.lockedBefore, zone)), RENDER_LIMITS.id)})`
    : '';
  return `${when(last.at)}${before}`;
}

/**
 * The addresses that failed to sign in for many users, before the users' rows: `IP 13.237.239.32
 * (AU (Australia) · AS16509 Amazon.com, Inc.): 12 users, 13 failed logins, Fri 27 Nov 03:53 to
 * 03:56`.
 */
function failedAddressLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const addresses = model.failedLoginAddresses ?? [];
  if (addresses.length === 0) return [];
  const { shown } = capped(addresses, limits.failedAddresses);
  const more = failedAddressesLeftOut(model, shown.length);
  const lines = [FAILED_ADDRESSES_HEADING, ...prose(FAILED_ADDRESSES_INTRO)];
  for (const a of shown) {
    const place = placeLabel(a);
    const where = place ? ` (${clipToWidth(oneLine(place), limits.evidence)})` : '';
    const figures = clipToWidth(oneLine(failedAddressFigures(a, model.timeZone)), limits.evidence);
    lines.push(
      ...wrapNote(`- IP ${clipToWidth(oneLine(a.ipAddress), limits.id)}${where}: ${figures}`, TEXT_WIDTH),
    );
  }
  if (more > 0) lines.push(...prose(`and ${formatCount(more)} more addresses (see the archived JSON)`));
  lines.push('');
  return lines;
}

/**
 * The networks, owners and names of no user that failed for many users, after the addresses:
 * `- AS14061 DigitalOcean, LLC: 40 users, 40 failed logins from 40 IPs; no sign-in`.
 */
function failedNetworkLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const networks = model.failedLoginNetworks ?? [];
  if (networks.length === 0) return [];
  const lines = [FAILED_NETWORKS_HEADING, ...prose(FAILED_NETWORKS_INTRO)];
  const { shown, singleAddress } = failedNetworksShown(model);
  for (const n of shown) {
    const label = clipToWidth(oneLine(failedNetworkLabel(n)), limits.evidence);
    lines.push(...wrapNote(`- ${label}: ${failedNetworkFigures(n)}`, TEXT_WIDTH));
  }
  const single = singleAddressSentence(singleAddress);
  if (single !== undefined) lines.push(...prose(clipToWidth(oneLine(single), limits.evidence * 2)));
  for (const more of failedNetworksLeftOut(model))
    lines.push(...prose(`${more} (${FAILED_NETWORKS_ELSEWHERE})`));
  lines.push('');
  return lines;
}

/**
 * The users' table, each row followed by the addresses it came from, indented under the name:
 * `  from IP 3.76.228.63`.
 */
function failedUserRows(
  model: WeeklyReportModel,
  shown: readonly FailedLoginUser[],
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  const failedNames = columnNames(
    shown.map((f) => ({ name: f.userName, id: f.userId })),
    'user',
    NAME_WIDTH,
  );
  const [header = '', ...rows] = columns(
    [
      ['User', 'Failed', 'Lockouts', 'IPs', 'Last'],
      ...shown.map((f, i) => [
        failedNames[i] ?? '',
        formatCount(f.failedAttempts),
        formatCount(f.lockouts),
        formatCount(f.distinctIps),
        lastCell(f, when, model.timeZone),
      ]),
    ],
    'lrrrl',
  );
  return [
    header,
    ...rows.flatMap((row, i) => {
      const f = shown[i];
      const from = f && userAddressesLine(f, (ip) => clipToWidth(oneLine(ip), limits.id));
      return from ? [row, ...wrapNote(`  ${from}`, TEXT_WIDTH, { indent: 2 })] : [row];
    }),
  ];
}

/**
 * Every user with failed logins or lockouts; when entries of the week were quarantined or not
 * recognised as sign-in events, that failed logins may be among them, instead of a flat "none" or
 * above the rows.
 */
export function failedLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  const lines = [
    ...heading(
      `Failed logins and lockouts (${plural(model.totals.failedLogins.current, 'failed login')}, ${plural(
        model.totals.lockouts.current,
        'lockout',
      )})`,
    ),
  ];
  const headingLines = lines.length;
  const failed = capped(model.failedLogins, limits.failedLogins);
  // Entries that could not be read or were not recognised may be failed logins: "none" would overstate it.
  if (model.failedLogins.length === 0) lines.push(...prose(noFailedLoginsSentence(model)));
  else for (const sentence of notCountedSentences(model)) lines.push(...prose(sentence));
  const addressLines =
    model.failedLogins.length > 0
      ? [...failedAddressLines(model, limits), ...failedNetworkLines(model, limits)]
      : [];
  // A blank line keeps the "By address" heading off the sentences above it.
  if (addressLines.length > 0 && lines.length > headingLines) lines.push('');
  lines.push(...addressLines);
  // Under the addresses, the users' rows need their own heading, or they read as the spray's.
  if (addressLines.length > 0) lines.push(FAILED_USERS_HEADING, ...prose(FAILED_USERS_INTRO));
  const withoutUser = failuresWithoutUserSentence(model, failed.shown.length);
  if (withoutUser) lines.push(...prose(withoutUser), '');
  if (failed.shown.length > 0) lines.push(...failedUserRows(model, failed.shown, limits, when));
  const { more, archivedRows } = failedUsersLeftOut(model, failed.shown.length);
  const archived =
    archivedRows === undefined
      ? 'see the archived JSON'
      : `the archived JSON lists the first ${formatCount(archivedRows)}`;
  if (more > 0) lines.push(...prose(`and ${formatCount(more)} more users (${archived})`));
  lines.push(...digLines(digLine(model, limits, 'failed')));
  return lines;
}
