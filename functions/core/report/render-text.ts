/**
 * The plain-text alternative of the report: the same sections as the HTML, as aligned columns
 * that read well in a fixed-width font, without the HTML's bars: a bar of 30 `#` and `.` is 30
 * tokens to a screen reader and a ragged smear in a proportional font, and the figures beside it
 * say the same. Domo strings are flattened to one line each; the sentences are wrapped to
 * {@link TEXT_WIDTH} columns, the tables to {@link TABLE_WIDTH}.
 */

import { clipToWidth, displayWidth, inColumn, padEndToWidth, padStartToWidth } from '../display-width.ts';
import { countryLabel } from '../geo/country-names.ts';
import { geoCredit } from '../geo/geo-credit.ts';
import { clip } from '../mail/clip.ts';
import type { ForMail } from '../mail/mail-links.ts';
import { capped, RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { CODE_VERSION } from '../version.ts';
import { wrapNote } from '../wrap-note.ts';
import { archivedFindings } from './archived-findings.ts';
import { changesNotComparable, noChangesSentence, noneThisWeek } from './comparable-weeks.ts';
import { dayCaveats, dayNotInLake } from './day-marks.ts';
import { type DigLine, digLine } from './dig-into-user.ts';
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
import { healthFigureRows } from './health-figure-rows.ts';
import { suspiciousCaveats, unknownCountryLines } from './health-sentences.ts';
import { gapsFigure, lakeStartInput } from './lake-start.ts';
import {
  LOGINS_AFTER_FAILURES_HEADING,
  LOGINS_AFTER_FAILURES_ORDER,
  loginAfterFailuresFigures,
  loginsAfterFailuresCaption,
  loginsAfterFailuresListed,
  loginsAfterFailuresTotal,
  NO_LOGINS_AFTER_FAILURES,
  userRowsLabel,
} from './login-after-failures-figures.ts';
import { formatBytes, formatChangeOnBase, formatCount, formatDelta, plural } from './number-format.ts';
import { reportForMail } from './report-for-mail.ts';
import {
  type Change,
  type FailedLoginUser,
  holdsNoData,
  type WeeklyReportModel,
  weekInProgress,
} from './report-model.ts';
import { type NamedRow, rowName, rowNames } from './row-names.ts';
import { securityAlertsSentence } from './security-alerts-note.ts';
import { suspiciousCounts, suspiciousLeftOut, suspiciousTitleCount } from './suspicious-counts.ts';
import {
  placeLabel,
  reasonLabel,
  suspiciousOrderSentence,
  userReasonFindingsLabels,
} from './suspicious-labels.ts';
import type { Ruler } from './text-ruler.ts';
import { formatDay, formatDayRange, formatLocalTime, formatLocalWeekdayTime } from './time-format.ts';
import { noFailedLoginsSentence, notCountedSentences } from './uncounted-sign-ins.ts';
import { weekSummary } from './week-summary.ts';

const NAME_WIDTH = 32;

/**
 * A sentence of the text part as lines of at most {@link TEXT_WIDTH} columns, broken between words
 * only ({@link wrapNote}): a word or URL wider than that stays whole on a line of its own. The
 * lines after the first keep the sentence's indentation, or hang under the text after a label
 * (`NOTE: `).
 */
const prose = (text: string): string[] => wrapNote(text, TEXT_WIDTH, { indent: 0 });

/** Columns of a fixed-width font: what the text part's names are cut to, so the columns stay aligned. */
const COLUMNS: Ruler = { width: displayWidth, clip: clipToWidth };

/**
 * A Domo name for a column of `width` columns of a fixed-width font, on one line; one cut short,
 * or any when `withId`, keeps its id ({@link rowName}). The alerts command's table names users
 * with it too, each with its id, as the alerts mail does.
 */
export const columnName = (
  name: string | null,
  id: string | null,
  kind: string,
  width = NAME_WIDTH,
  withId = false,
) =>
  rowName(
    name === null ? null : oneLine(name),
    id === null ? null : oneLine(id),
    kind,
    width,
    COLUMNS,
    withId,
  );

/** {@link columnName} for every row of one list: users and namesakes get their ids ({@link rowNames}). */
const columnNames = (rows: readonly NamedRow[], kind: string, width = NAME_WIDTH): string[] => {
  const flat = (r: NamedRow) => ({
    name: r.name === null ? null : oneLine(r.name),
    id: r.id === null ? null : oneLine(r.id),
  });
  return rowNames(rows.map(flat), kind, width, COLUMNS);
};

/**
 * The widest a row of a table may be: 78 columns, the width plain-text mail keeps to (RFC 5322's
 * recommendation), where a client wraps or cuts a longer line wherever it reaches the edge.
 */
export const TABLE_WIDTH = 78;

/** Fewer columns than this left for a last column leave it whole: a word a line reads worse. */
const LEAST_WRAPPED_COLUMN = 12;

/**
 * A row's last, left-aligned cell wrapped between its words within what the row leaves of
 * {@link TABLE_WIDTH}, its further lines under its column (`Fri 20 Nov 22:59 (locked Wed 09:06)`
 * after a long name and a count of a million failures was 99 columns).
 */
function wrappedLastCell(before: string, cell: string): string {
  const room = TABLE_WIDTH - displayWidth(before);
  if (displayWidth(before) + displayWidth(cell) <= TABLE_WIDTH || room < LEAST_WRAPPED_COLUMN)
    return before + cell;
  const [first = '', ...rest] = wrapNote(cell, room, { indent: 0 });
  const under = ' '.repeat(displayWidth(before));
  return [before + first, ...rest.map((line) => under + line)].join('\n');
}

/**
 * Lays rows out in columns: `r` columns are right-aligned, the last column is not padded, and a
 * last left-aligned one wraps under itself rather than pass {@link TABLE_WIDTH} (one string a
 * row still, its lines joined). Cells
 * are measured in columns of a fixed-width font ({@link displayWidth}), not UTF-16 units, so a
 * Japanese name or one with a combining accent keeps what follows it in line; a Hebrew or Arabic
 * one is bounded by left-to-right marks ({@link inColumn}), so the figures after it stay in theirs.
 */
export function columns(rows: readonly (readonly string[])[], align: string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  const cellText = (cell: string, i: number, last: boolean) => {
    if (align[i] === 'r') return padStartToWidth(cell, widths[i] ?? 0);
    return last ? cell : padEndToWidth(inColumn(cell), widths[i] ?? 0);
  };
  return rows.map((row) => {
    const cells = row.map((cell, i) => cellText(cell, i, i === row.length - 1));
    const last = cells.length - 1;
    if (last < 1 || align[last] === 'r') return cells.join('  ').trimEnd();
    return wrappedLastCell(`${cells.slice(0, last).join('  ')}  `, row[last] ?? '').trimEnd();
  });
}

/**
 * `label  value` lines, the labels a column of their own: a value too long for {@link TEXT_WIDTH}
 * (`19 of 190 logins (10%): run enrich for the week`) wraps between words within its column.
 */
function labelledValues(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map(([label = '']) => displayWidth(label)));
  const indent = ' '.repeat(width + 2);
  return rows.flatMap(([label = '', value = '']) => {
    const [first = '', ...rest] = wrapNote(value, TEXT_WIDTH - indent.length, { indent: 0 });
    return [`${padEndToWidth(label, width)}  ${first}`.trimEnd(), ...rest.map((line) => indent + line)];
  });
}

const heading = (title: string) => ['', title.toUpperCase(), '-'.repeat(title.length)];

/** `7 (11 findings)`, or `7` when each login was found once. */
function suspiciousTotal(model: WeeklyReportModel): string {
  const { logins, findings } = suspiciousCounts(model);
  return findings === logins
    ? formatCount(logins)
    : `${formatCount(logins)} (${formatCount(findings)} findings)`;
}

/**
 * The totals of both weeks; the change column only when the weeks compare like with like, and the
 * week before's column only when the lake holds any of it (its zeros are not counts).
 */
function totals(model: WeeklyReportModel): string[] {
  const comparable = changesNotComparable(model) === undefined;
  const before = !holdsNoData(model.previousHealth);
  const row = (name: string, c: Change) => [
    name,
    formatCount(c.current),
    ...(before ? [formatCount(c.previous)] : []),
    ...(comparable ? [formatChangeOnBase(c)] : []),
  ];
  const t = model.totals;
  const noChanges = noChangesSentence(model);
  return [
    ...heading('Totals'),
    ...columns(
      [
        ['', 'this week', ...(before ? [model.previousWeek.isoWeek] : []), ...(comparable ? ['change'] : [])],
        // The HTML's boxes' order, what to act on first (review R-A11Y L4); the suspicious logins
        // without a change, as their box: last week's count is no baseline.
        ['Suspicious logins', suspiciousTotal(model)],
        row('Lockouts', t.lockouts),
        row('Failed logins', t.failedLogins),
        row('Events', t.events),
        row('Active users', t.activeUsers),
        row('Logins', t.logins),
      ],
      'lrrr',
    ),
    ...(noChanges ? prose(noChanges) : []),
  ];
}

/**
 * `1 user` and `22 users` of one column as ` 1 user ` and `22 users`: right-aligned whole, the
 * shorter word would put the 1 under the 2's place, so the counts are right-aligned and the words
 * after them left-aligned. Extras of another shape (`+50%`, `new`, none) are left as they are.
 */
function countedExtras(extras: readonly string[]): readonly string[] {
  const parts = extras.map((extra) => /^(\d\S*) (\S+)$/.exec(extra));
  if (parts.length === 0 || parts.some((part) => part === null)) return extras;
  const counts = parts.map((part) => part?.[1] ?? '');
  const words = parts.map((part) => part?.[2] ?? '');
  const countWidth = counts.reduce((widest, count) => Math.max(widest, count.length), 0);
  const wordWidth = words.reduce((widest, word) => Math.max(widest, displayWidth(word)), 0);
  return counts.map(
    (count, i) => `${count.padStart(countWidth)} ${padEndToWidth(words[i] ?? '', wordWidth)}`,
  );
}

function figureList(
  rows: { name: string; value: number; extra: string; missing?: string | undefined; caveat?: string }[],
  empty: string,
  more = 0,
  what = '',
): string[] {
  const moreLines = more > 0 ? prose(`and ${formatCount(more)} more ${what} (see the archived JSON)`) : [];
  if (rows.length === 0) return more > 0 ? moreLines : prose(empty);
  const counted = rows.filter((r) => r.missing === undefined);
  const aligned = countedExtras(counted.map((r) => r.extra));
  const extras = new Map(counted.map((r, i) => [r, aligned[i] ?? r.extra]));
  // A count that is not the whole day (in progress, events gone) says so after its row.
  const lines = columns(
    rows.map((r) =>
      r.missing === undefined
        ? [r.name, formatCount(r.value), extras.get(r) ?? r.extra, r.caveat ?? '']
        : [r.name],
    ),
    'lrrl',
  );
  // A row without a figure (a day not in the lake) says why right after its name.
  const width = Math.max(...rows.map((r) => displayWidth(r.name)));
  return [
    ...lines.map((line, i) => {
      const missing = rows[i]?.missing;
      return missing === undefined ? line : `${padEndToWidth(line, width)}  ${missing}`;
    }),
    ...moreLines,
  ];
}

/** Sign-ins per country, and how many of the unknown were never looked up. */
function countryLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const { shown, more } = capped(model.loginsByCountry ?? [], limits.countries);
  return [
    ...heading('Logins by country'),
    ...figureList(
      shown.map((c) => ({
        name: clipToWidth(countryLabel(c.country), limits.name),
        value: c.logins,
        extra: plural(c.users, 'user'),
      })),
      noneThisWeek(model, 'No logins this week.'),
      more,
      'countries',
    ),
    ...unknownCountryLines(model.health).flatMap(prose),
  ];
}

/**
 * A suspicious login's first line, `Mon 23 Nov 16:08  Wei Euler (1039710626)  unusual hour  IP
 * 1.120.234.216`; its IP on a line of its own, under it as the place is, when the line would pass
 * {@link TEXT_WIDTH}: an IPv6 address or a long reason made it 80 to 96 columns, which a mail client
 * showing text/plain as it is breaks anywhere (review R-PHONE2).
 */
function suspiciousHead(cells: string[], ip: string): string[] {
  const line = columns([[...cells, ip]], 'llll');
  if (line.every((l) => displayWidth(l) <= TEXT_WIDTH)) return line;
  return [...columns([cells], 'lll'), `    ${ip}`];
}

/**
 * The suspicious logins, each with where it came from and its one-line explanation; when security
 * alerts run on the instance, why they can list other logins.
 */
function suspiciousLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  const out: string[] = [];
  out.push(...heading(`Suspicious logins (${suspiciousTitleCount(model)})`));
  const suspicious = capped(model.suspiciousLogins, limits.suspiciousLogins);
  // Logins never looked up, users without history: some checks did not run, "none" would overstate it.
  const caveats = suspiciousCaveats(model);
  const none = model.suspiciousLogins.length === 0;
  if (none && caveats.length === 0)
    out.push(...prose(noneThisWeek(model, 'No suspicious logins this week.')));
  caveats.forEach((caveat, i) => {
    out.push(...prose(none && i === 0 ? `No suspicious logins found, but ${caveat}` : `NOTE: ${caveat}`));
  });
  const names = columnNames(
    suspicious.shown.map((s) => ({ name: s.userName, id: s.userId })),
    'user',
    28,
  );
  const order = suspiciousOrderSentence(model);
  if (order && suspicious.shown.length > 0) out.push(...prose(order));
  const many = userReasonFindingsLabels(suspicious.shown);
  suspicious.shown.forEach((s, i) => {
    out.push(
      ...suspiciousHead(
        [when(s.eventTime), names[i] ?? '', clipToWidth(reasonLabel(oneLine(s.reason)), limits.id)],
        // The network as the HTML shows it: the text part is a full alternative (review R-A11Y M3).
        `IP ${clipToWidth(oneLine(s.ipAddress ?? '-'), limits.id)}${
          s.network ? ` (${clipToWidth(oneLine(s.network), limits.id)})` : ''
        }`,
      ),
    );
    const place = placeLabel(s);
    if (place) out.push(...prose(`    ${clip(oneLine(place), limits.evidence)}`));
    if (s.evidence) out.push(...prose(`    ${clip(oneLine(s.evidence), limits.evidence)}`));
    const findings = many[i];
    if (findings) out.push(...prose(`    ${findings}`));
  });
  const { more, what, archivedRows } = suspiciousLeftOut(model, suspicious.shown.length);
  if (more > 0)
    out.push(...prose(`and ${formatCount(more)} more ${what} (${archivedFindings(model, archivedRows)})`));
  out.push(...digLines(digLine(model, limits, 'suspicious')));
  // Apart from the rows: it is about every one of them, and about logins the alerts listed instead.
  const alerts = securityAlertsSentence(model);
  if (alerts) out.push('', ...prose(alerts));
  return out;
}

/**
 * The week's sign-ins after a run of failed logins, as the HTML lists them: the sign-in's line as a
 * suspicious login's, then the run before it. Nothing for a model archived before they were read.
 */
function loginsAfterFailuresLines(
  model: WeeklyReportModel,
  limits: RenderLimits,
  when: (ts: string | null) => string,
): string[] {
  if (model.loginsAfterFailures === undefined) return [];
  const total = loginsAfterFailuresTotal(model);
  const out = [
    ...heading(`${LOGINS_AFTER_FAILURES_HEADING} (${formatCount(total)})`),
    ...prose(loginsAfterFailuresCaption(model)),
  ];
  if (total === 0) return [...out, ...prose(noneThisWeek(model, NO_LOGINS_AFTER_FAILURES))];
  const { shown } = capped(model.loginsAfterFailures, limits.suspiciousLogins);
  const names = columnNames(
    shown.map((s) => ({ name: s.userName, id: s.userId })),
    'user',
    28,
  );
  shown.forEach((s, i) => {
    out.push(
      ...suspiciousHead(
        [when(s.eventTime), names[i] ?? ''],
        `IP ${clipToWidth(oneLine(s.ipAddress ?? '-'), limits.id)}`,
      ),
      ...prose(`    ${clip(loginAfterFailuresFigures(s, model.timeZone), limits.evidence)}`),
    );
    const many = userRowsLabel(s);
    if (many) out.push(...prose(`    ${many}`));
  });
  const listed = loginsAfterFailuresListed(model, shown.length);
  if (listed) out.push(...prose(`${listed}: ${LOGINS_AFTER_FAILURES_ORDER}.`));
  return out;
}

/**
 * The most viewed cards, with their change against the week before; the views alone when the weeks
 * do not compare like with like, as the totals then have no change column either.
 */
function cardLines(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const comparable = changesNotComparable(model) === undefined;
  const { shown, more } = capped(model.topCards, limits.topList);
  const names = columnNames(
    shown.map((c) => ({ name: c.cardName, id: c.cardId })),
    'card',
  );
  return [
    ...heading(comparable ? 'Top cards (views, change)' : 'Top cards (views)'),
    ...figureList(
      shown.map((c, i) => ({
        name: names[i] ?? '',
        value: c.views,
        extra: !comparable ? '' : c.previousViews === 0 ? 'new' : formatDelta(c.change),
      })),
      noneThisWeek(model, 'No card views this week.'),
      more,
      'top cards',
    ),
  ];
}

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
function failedLines(
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

/**
 * The line that says how to dig into a user (dig-into-user.ts), after a blank line: its sentence
 * wrapped, then the command on a line of its own, not wrapped, so it copies as one line.
 */
const digLines = (line: DigLine | undefined): string[] =>
  line ? ['', ...prose(line.sentence), ...(line.command ? [`  ${oneLine(line.command)}`] : [])] : [];

/**
 * Renders the report as plain text (the mail's text/plain part and `report.txt`), with the list
 * caps and clip lengths of `limits` (the HTML's, so both parts show the same rows).
 */
export function renderText(domoModel: WeeklyReportModel, limits: RenderLimits = RENDER_LIMITS): string {
  return renderMailText(reportForMail(domoModel), limits);
}

/** {@link renderText} of a model defanged already ({@link reportForMail}), as {@link renderReport} has it. */
export function renderMailText(
  model: ForMail<WeeklyReportModel>,
  limits: RenderLimits = RENDER_LIMITS,
): string {
  const zone = model.timeZone;
  // A time that is not a lake timestamp is shown as it came: flattened and clipped like an id.
  const when = (ts: string | null) => (ts ? clipToWidth(oneLine(formatLocalTime(ts, zone)), limits.id) : '-');
  const lines: string[] = [
    ...prose(
      `Domo activity ${model.week.isoWeek}, instance ${model.instance}${
        weekInProgress(model) ? ' (preview: week in progress)' : ''
      }`,
    ),
    ...prose(`${formatDayRange(model.week.days)}, times in ${zone}`),
  ];
  for (const note of model.notes) lines.push('', ...prose(`NOTE: ${note}`));
  const summary = weekSummary(model, limits);
  if (summary !== undefined) lines.push('', ...prose(summary));
  lines.push(...totals(model));

  lines.push(...heading('Activity per day'));
  lines.push(
    ...figureList(
      model.daily.map((d) => ({
        name: formatDay(d.day),
        value: d.events,
        extra: `${plural(d.activeUsers, 'user')}`,
        missing: dayNotInLake(d, model),
        caveat: dayCaveats(d, model)
          .map((c) => c.text)
          .join(', '),
      })),
      'No activity.',
    ),
  );

  lines.push(...suspiciousLines(model, limits, when));
  lines.push(...loginsAfterFailuresLines(model, limits, when));
  if (model.loginsByCountry !== undefined) lines.push(...countryLines(model, limits));

  lines.push(...failedLines(model, limits, when));

  const topUsers = capped(model.topUsers, limits.topList);
  const topPages = capped(model.topPages, limits.topList);
  const userNames = columnNames(
    topUsers.shown.map((u) => ({ name: u.userName, id: u.userId })),
    'user',
    NAME_WIDTH,
  );
  const pageNames = columnNames(
    topPages.shown.map((p) => ({ name: p.pageName, id: p.pageId })),
    'page',
  );
  lines.push(...heading('Most active users (events, logins)'));
  lines.push(
    ...figureList(
      topUsers.shown.map((u, i) => ({
        name: userNames[i] ?? '',
        value: u.events,
        extra: `${plural(u.logins, 'login')}`,
      })),
      noneThisWeek(model, 'No user activity this week.'),
      topUsers.more,
      'top users',
    ),
  );
  lines.push(...digLines(digLine(model, limits, 'top')));
  lines.push(...cardLines(model, limits));
  lines.push(...heading('Top pages (views, viewers)'));
  lines.push(
    ...figureList(
      topPages.shown.map((p, i) => ({
        name: pageNames[i] ?? '',
        value: p.views,
        extra: `${plural(p.viewers, 'viewer')}`,
      })),
      noneThisWeek(model, 'No page views this week.'),
      topPages.more,
      'top pages',
    ),
  );

  const h = model.health;
  lines.push(...heading('Data health'));
  lines.push(
    ...labelledValues([
      [
        'Coverage',
        `${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours (${h.coveragePct}%)`,
      ],
      ['Gaps', gapsFigure(lakeStartInput(model), when)],
      ['Late events', formatCount(h.lateEvents)],
      ['Quarantined entries', formatCount(h.quarantined)],
      ['Entries outside their hour', formatCount(h.outOfWindow)],
      ['Last event', h.lastEventTime ? when(h.lastEventTime) : 'none'],
      ['Last fetch from Domo', h.lastFetchedAt ? when(h.lastFetchedAt) : 'none'],
      ...healthFigureRows(model),
      ...(model.bytesScanned > 0 ? [['Scanned for this report', formatBytes(model.bytesScanned)]] : []),
    ]),
  );
  lines.push(
    '',
    ...prose(
      `Generated ${formatLocalTime(model.generatedAt.replace('T', ' ').replace('Z', ''), zone)} (${zone}) by domo-activity-lake ${CODE_VERSION}.`,
    ),
    ...prose(geoCredit(model.geoDbVersions ?? [])),
    '',
  );
  return lines.join('\n');
}
