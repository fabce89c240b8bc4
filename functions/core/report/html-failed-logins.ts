/**
 * The failed-logins-and-lockouts section of the report's HTML: the addresses that failed for many
 * users, then a row a user (failures, lockouts, addresses, and the last failure or lockout), with
 * the lines on failures without a user and on sign-in entries not counted.
 */

import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { capped, RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
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
import { addressTable } from './html-address-table.ts';
import { names, when } from './html-cell-text.ts';
import { digLineRows } from './html-dig-line.ts';
import {
  asideLine,
  columnHeader,
  emptyLine,
  moreLine,
  rowHeader,
  sectionBody,
  sectionTitle,
} from './html-section.ts';
import { BAD, FONT, INK, MUTED, NAME_COLUMN, RULE, WRAP } from './html-style.ts';
import { formatCount, plural } from './number-format.ts';
import type { FailedLoginUser, WeeklyReportModel } from './report-model.ts';
import { placeLabel } from './suspicious-labels.ts';
import { formatLocalWeekdayTime } from './time-format.ts';
import { noFailedLoginsSentence, notCountedSentences } from './uncounted-sign-ins.ts';

/**
 * The failed-logins "Last" cell: the later of the last failure and the last lockout. Failures that
 * went on after a lockout show their time, with the lockout under it in red and short (its weekday
 * is enough within the week), so the column stays as narrow as a lone time on a phone.
 */
function lastCell(f: FailedLoginUser, zone: string): string {
  const last = lastFailedActivity(f);
  if (last.locked) return `locked ${when(last.at, zone)}`;
  if (last.lockedBefore === null) return when(last.at, zone);
  return `${when(last.at, zone)}<br><span style="font-size:12px;color:${BAD};">locked ${esc(
    clip(formatLocalWeekdayTime(last.lockedBefore, zone), RENDER_LIMITS.id),
  )}</span>`;
}

/**
 * A heading within the section, over the addresses and over the users' rows: without it the rows
 * read as the spray's. Its size, weight, margin and line height are set, as the section title's.
 */
const subHeading = (text: string, id?: string) =>
  `\n<tr><td colspan="5" style="padding:10px 0 2px;"><h3${id === undefined ? '' : ` id="report-${id}"`} style="margin:0;${FONT}font-size:14px;line-height:normal;font-weight:bold;color:${INK};">${esc(text)}</h3></td></tr>`;

const introLine = (text: string) =>
  `\n<tr><td colspan="5" style="${FONT}font-size:13px;color:${INK};padding:4px 0;${WRAP}">${esc(text)}</td></tr>`;

/**
 * The user's addresses under the name, small: the failures of a lockout from another address than
 * a spray's then do not read as the spray's.
 */
function nameWithAddresses(name: string, f: FailedLoginUser, limits: RenderLimits): string {
  const from = userAddressesLine(f, (ip) => clip(ip, limits.id));
  return from ? `${name}<br><span style="font-size:12px;color:${MUTED};">${esc(from)}</span>` : name;
}

/**
 * The addresses that failed to sign in for many users, above the users' rows (a spray's accounts
 * each show a failure or two there, and nothing says they came from one address): the address and
 * its place, then its users, failures and minutes. Nothing when there are none.
 */
function failedAddressLines(model: WeeklyReportModel, limits: RenderLimits): string {
  const addresses = model.failedLoginAddresses ?? [];
  if (addresses.length === 0) return '';
  const { shown } = capped(addresses, limits.failedAddresses);
  const more = failedAddressesLeftOut(model, shown.length);
  const rows = shown.map((a) => {
    const place = placeLabel(a);
    return {
      headHtml: `<b>IP ${esc(clip(a.ipAddress, limits.id))}</b>${place ? `\n&middot; ${esc(clip(place, limits.evidence))}` : ''}`,
      figuresHtml: esc(clip(failedAddressFigures(a, model.timeZone), limits.evidence)),
    };
  });
  return (
    subHeading(FAILED_ADDRESSES_HEADING, ADDRESSES_ID) +
    introLine(FAILED_ADDRESSES_INTRO) +
    (rows.length > 0 ? addressTable(ADDRESSES_ID, ['Address', 'Failed logins'], rows) : '') +
    moreLine(more, 'addresses') +
    `\n<tr><td colspan="5" style="padding:0 0 10px;"></td></tr>`
  );
}

/**
 * The networks, owners and names of no user that failed for many users, under the addresses: a
 * spray from a new address for each name is in none of those. Nothing when there are none.
 */
function failedNetworkLines(model: WeeklyReportModel, limits: RenderLimits): string {
  const networks = model.failedLoginNetworks ?? [];
  if (networks.length === 0) return '';
  const { shown, singleAddress } = failedNetworksShown(model);
  const single = singleAddressSentence(singleAddress);
  const rows = shown.map((n) => ({
    headHtml: `<b>${esc(clip(failedNetworkLabel(n), limits.evidence))}</b>`,
    figuresHtml: esc(failedNetworkFigures(n)),
  }));
  const more = failedNetworksLeftOut(model).map(
    (text) =>
      `\n<tr><td colspan="5" style="${FONT}font-size:12px;color:${MUTED};padding:6px 0;">${esc(text)} (${esc(FAILED_NETWORKS_ELSEWHERE)})</td></tr>`,
  );
  return (
    subHeading(FAILED_NETWORKS_HEADING, NETWORKS_ID) +
    introLine(FAILED_NETWORKS_INTRO) +
    (rows.length > 0
      ? addressTable(NETWORKS_ID, ['Network or owner', 'Failed logins and sign-ins'], rows)
      : '') +
    (single === undefined ? '' : asideLine(clip(single, limits.evidence * 2), 5)) +
    more.join('') +
    `\n<tr><td colspan="5" style="padding:0 0 10px;"></td></tr>`
  );
}

/** The id of "By user" (prefixed), which names the users' table when the addresses come first. */
const USERS_ID = 'failed-users';
/** The ids of "By address" and "By network" (prefixed), which name their tables. */
const ADDRESSES_ID = 'failed-addresses';
const NETWORKS_ID = 'failed-networks';

export function failedSection(model: WeeklyReportModel, limits: RenderLimits): string {
  const { shown } = capped(model.failedLogins, limits.failedLogins);
  const { more, archivedRows } = failedUsersLeftOut(model, shown.length);
  const withoutUser = failuresWithoutUserSentence(model, shown.length);
  // 14 px between columns on a desktop (WIDE_CSS; 8 inline, a phone's): a right-aligned count ("IPs") and the
  // left-aligned time after it ("Last") would otherwise read as one figure. The first column, the
  // user's name and its row header, starts flush. "Last" keeps room for its words ("locked"), as
  // the names do ({@link NAME_COLUMN}).
  const th = (text: string, align = 'left', first = false, style = '') =>
    columnHeader(
      text,
      align,
      `${FONT}font-size:12px;color:${MUTED};padding:0 0 4px ${first ? 0 : 8}px;border-bottom:1px solid ${RULE};${style}`,
      first ? '' : ' class="gap"',
    );
  // Only "Last" may need to wrap: the counts are short.
  const cell = `${FONT}font-size:13px;padding:5px 0 5px 8px;border-bottom:1px solid ${RULE};`;
  const td = (html: string, align = 'left', colour = INK, style = '') =>
    `<td align="${align}" style="${cell}color:${colour};${style}">${html}</td>`;
  const users = names(
    shown.map((f) => ({ name: f.userName, id: f.userId })),
    'user',
    limits,
  );
  // Entries that could not be read or were not recognised may be failed logins: "none" would overstate it.
  const notCounted = notCountedSentences(model);
  const addresses = failedAddressLines(model, limits) + failedNetworkLines(model, limits);
  const rows = shown.map(
    (f, i) =>
      `<tr class="gap">${[
        rowHeader(
          nameWithAddresses(users[i] ?? '', f, limits),
          `${FONT}font-size:13px;color:${INK};padding:5px 0;border-bottom:1px solid ${RULE};${WRAP}`,
        ),
        td(esc(formatCount(f.failedAttempts)), 'right'),
        td(esc(formatCount(f.lockouts)), 'right', f.lockouts > 0 ? BAD : INK),
        td(esc(formatCount(f.distinctIps)), 'right'),
        td(lastCell(f, model.timeZone), 'left', INK, WRAP),
      ].join('\n')}</tr>`,
  );
  const preamble =
    model.failedLogins.length === 0
      ? emptyLine(noFailedLoginsSentence(model))
      : notCounted.map((sentence) => asideLine(sentence, 5)).join('') +
        addresses +
        (addresses ? subHeading(FAILED_USERS_HEADING, USERS_ID) + introLine(FAILED_USERS_INTRO) : '') +
        (withoutUser
          ? `\n<tr><td colspan="5" style="${FONT}font-size:13px;color:${INK};padding:4px 0 10px;${WRAP}">${esc(withoutUser)}</td></tr>`
          : '');
  return (
    sectionTitle(
      `Failed logins and lockouts (${plural(model.totals.failedLogins.current, 'failed login')}, ${plural(
        model.totals.lockouts.current,
        'lockout',
      )})`,
      'failed',
    ) +
    // Whether there were failures is the model's to say: the cap can leave no row to show.
    // The prose and the headings in a layout table of their own (the addresses and the networks in
    // tables of data within it, html-address-table.ts), and
    // the users in a table of data that starts with its header row: all in one, a screen reader
    // announced 27 rows whose headers came in row 12 (review R-A11Y M2).
    (preamble ? sectionBody(preamble) : '') +
    (rows.length > 0
      ? sectionBody(
          `<tr>${[th('User', 'left', true, NAME_COLUMN), th('Failed', 'right'), th('Lockouts', 'right'), th('IPs', 'right'), th('Last', 'left', false, 'min-width:46px;')].join('\n')}</tr>\n${rows.join('\n')}`,
          addresses ? USERS_ID : 'failed',
        )
      : '') +
    (model.failedLogins.length === 0
      ? ''
      : sectionBody(
          moreLine(
            more,
            'users',
            5,
            archivedRows === undefined
              ? undefined
              : `the archived report JSON lists the first ${formatCount(archivedRows)}`,
          ) + digLineRows(digLine(model, limits, 'failed'), 5),
        ))
  );
}
