/**
 * The headline boxes at the top of the report's HTML (events, active users, logins, failed logins,
 * lockouts), each with its change against the week before, and the line under them that says which
 * week that is or why no change is shown.
 */

import { esc } from '../mail/html-escape.ts';
import { changesNotComparable, noChangesSentence } from './comparable-weeks.ts';
import { BAD, FONT, GOOD, INK, MUTED, TABLE } from './html-style.ts';
import { formatChange, formatCount } from './number-format.ts';
import { type Change, holdsNoData, type WeeklyReportModel } from './report-model.ts';
import { formatDayRange } from './time-format.ts';

/**
 * Colour of a change: for figures where more is bad (failures), a rise is red. A rise from zero
 * ("new", no percentage) is a rise too: the first lockout in weeks must not pass in grey.
 */
function changeColour(change: Change, moreIsBad: boolean): string {
  if (change.delta === 0) return MUTED;
  return change.delta > 0 === moreIsBad ? BAD : GOOD;
}

/**
 * A headline box's change, in red or green; when the weeks do not compare like with like, a grey
 * "not comparable" instead, so no box shows a fall or rise the data does not support (the line
 * under the boxes says why).
 */
function changeLine(change: Change, moreIsBad: boolean, notComparable: string | undefined): string {
  const [text, colour] = notComparable
    ? ['not comparable', MUTED]
    : [formatChange(change), changeColour(change, moreIsBad)];
  return `<div style="font-size:12px;font-weight:bold;color:${colour};padding-top:2px;">${esc(text)}</div>`;
}

export function totalsRow(model: WeeklyReportModel): string {
  const notComparable = changesNotComparable(model);
  const tiles: [string, Change, boolean][] = [
    ['Events', model.totals.events, false],
    ['Active users', model.totals.activeUsers, false],
    ['Logins', model.totals.logins, false],
    ['Failed logins', model.totals.failedLogins, true],
    ['Lockouts', model.totals.lockouts, true],
  ];
  // Inline-block boxes: side by side on a desktop, one per line on a phone (MOBILE_CSS); Outlook
  // for Windows, which ignores both, gets them as the cells of a conditional table. A fifth of
  // the row at least, and wider when their text is (zoomed text: "11,662" ran into the next box's
  // "40"), the boxes then wrapping onto another line.
  const cells = tiles.map(
    ([
      label,
      change,
      moreIsBad,
    ]) => `<!--[if mso]><td width="20%" valign="top"><![endif]--><div class="tile" style="display:inline-block;min-width:20%;vertical-align:top;">
<div style="padding:8px 4px;${FONT}text-align:center;">
<div style="font-size:22px;font-weight:bold;color:${INK};">${esc(formatCount(change.current))}</div>
<div style="font-size:12px;color:${MUTED};padding-top:2px;">${esc(label)}</div>
${changeLine(change, moreIsBad, notComparable)}
</div></div><!--[if mso]></td><![endif]-->`,
  );
  return `<tr><td class="pad" style="padding:16px 20px 0;"><table ${TABLE} width="100%" style="width:100%;" bgcolor="#f8fafc"><tr><td align="center" style="font-size:0;">
<!--[if mso]><table ${TABLE} width="100%"><tr><![endif]-->${cells.join('')}<!--[if mso]></tr></table><![endif]-->
</td></tr></table></td></tr>
<tr><td class="pad" style="padding:4px 24px 0;${FONT}font-size:12px;color:${MUTED};">${esc(comparisonLine(model))}</td></tr>`;
}

/**
 * The line under the boxes: which week the changes are against, with its figures, or why none are
 * shown. A week before the lake holds nothing of gets no figures: its zeros are not counts.
 */
function comparisonLine(model: WeeklyReportModel): string {
  const noChanges = noChangesSentence(model);
  if (holdsNoData(model.previousHealth)) return noChanges ?? '';
  const before = `${model.previousWeek.isoWeek} (${formatDayRange(model.previousWeek.days)}): ${formatCount(
    model.totals.events.previous,
  )} events, ${formatCount(model.totals.activeUsers.previous)} active users.`;
  return noChanges ? `${noChanges} The week before, ${before}` : `Changes are against ${before}`;
}
