/**
 * The line saying what to look at ({@link weekSummary}) and the headline boxes at the top of the
 * report's HTML (suspicious logins, lockouts, failed logins, events, active users, logins), each with its change against the week before, and the line under them that says which
 * week that is or why no change is shown.
 */

import { esc } from '../mail/html-escape.ts';
import { capped, RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { changesNotComparable, floorChange, noChangesSentence } from './comparable-weeks.ts';
import { BAD, FONT, GOOD, INK, MUTED, TABLE, WRAP } from './html-style.ts';
import { formatChangeOnBase, formatCount } from './number-format.ts';
import { type Change, holdsNoData, type WeeklyReportModel } from './report-model.ts';
import { suspiciousCounts, suspiciousLeftOut } from './suspicious-counts.ts';
import { formatDayRange } from './time-format.ts';
import { weekSummary } from './week-summary.ts';

/** A fall of activity below this share of the week before is shown grey. */
const SMALL_DROP = 0.1;

/**
 * Colour of a change: for figures where more is bad (failures), a rise is red. A rise from zero
 * ("new", no percentage) is a rise too: the first lockout in weeks must not pass in grey.
 */
function changeColour(change: Change, moreIsBad: boolean): string {
  if (change.delta === 0) return MUTED;
  // Activity a little down is an ordinary week, not bad news: red there made red mean nothing
  // (`Events -0.9%` as red as `Failed logins +2,800%`; review R-PHONE L3).
  if (!moreIsBad && change.delta < 0 && -change.delta < change.previous * SMALL_DROP) return MUTED;
  return change.delta > 0 === moreIsBad ? BAD : GOOD;
}

/**
 * A headline box's change, in red or green; when the weeks do not compare like with like, a grey
 * "not comparable" instead, so no box shows a fall or rise the data does not support (the line
 * under the boxes says why), but a rise the undercount cannot explain (`floor`, `+25 or more`).
 */
function changeLine(
  change: Change,
  moreIsBad: boolean,
  notComparable: string | undefined,
  floor: string | undefined,
): string {
  const [text, colour] =
    notComparable && floor === undefined
      ? ['not comparable', MUTED]
      : [floor ?? formatChangeOnBase(change), changeColour(change, moreIsBad)];
  return `<div style="font-size:12px;font-weight:bold;color:${colour};padding-top:2px;">${esc(text)}</div>`;
}

/**
 * A box without a change against the week before: the suspicious logins, which the report judges
 * anew each week (a login is suspicious against the weeks before it), so last week's count is no
 * baseline. Its figure is red when there is one, as a rise in failures is. What it says under the
 * figure is {@link suspiciousBoxNote}.
 */
type Tile = [label: string, figure: number, change: Change | undefined, moreIsBad: boolean];

/**
 * Under the suspicious logins' figure: `listed below` when the list shows every row, else how many
 * of its rows it shows (`20 of 54 findings listed`): "43 … listed below" over 20 rows of 54 said
 * more than the list held. Rows are findings, so they are counted as such when a login was found
 * for several reasons.
 */
export function suspiciousBoxNote(model: WeeklyReportModel, limits: RenderLimits): string[] {
  const counts = suspiciousCounts(model);
  if (counts.logins === 0) return ['none'];
  const { shown } = capped(model.suspiciousLogins, limits.suspiciousLogins);
  const { more } = suspiciousLeftOut(model, shown.length);
  if (more === 0) return ['listed below'];
  const what = counts.findings === counts.logins ? '' : ' findings';
  // Two lines, each as wide as the box's label: on one, the box widened and pushed the sixth
  // box onto a line of its own at 600 px.
  return [`${formatCount(shown.length)} of ${formatCount(counts.findings)}${what}`, 'listed'];
}

function tileHtml(
  model: WeeklyReportModel,
  [label, figure, change, moreIsBad]: Tile,
  notComparable: string | undefined,
  note: readonly string[],
): string {
  const colour = change === undefined && figure > 0 ? BAD : INK;
  const under =
    change === undefined
      ? `<div style="font-size:12px;color:${MUTED};padding-top:2px;">${note.map((line) => esc(line)).join('<br>')}</div>`
      : changeLine(change, moreIsBad, notComparable, floorChange(model, change, formatChangeOnBase));
  return `<!--[if mso]><td width="16%" valign="top"><![endif]--><div class="tile" style="display:inline-block;width:33.3%;vertical-align:top;">
<div style="padding:8px 4px;${FONT}text-align:center;">
<div style="font-size:22px;font-weight:bold;color:${colour};">${esc(formatCount(figure))}</div>
<div style="font-size:12px;color:${MUTED};padding-top:2px;">${esc(label)}</div>
${under}
</div></div><!--[if mso]></td><![endif]-->`;
}

export function totalsRow(
  model: WeeklyReportModel,
  limits: RenderLimits = RENDER_LIMITS,
  afterSummary = '',
): string {
  const notComparable = changesNotComparable(model);
  const { totals } = model;
  // What to act on first (three a row on a phone), then the week's activity.
  const tiles: Tile[] = [
    ['Suspicious logins', suspiciousCounts(model).logins, undefined, true],
    ['Lockouts', totals.lockouts.current, totals.lockouts, true],
    ['Failed logins', totals.failedLogins.current, totals.failedLogins, true],
    ['Events', totals.events.current, totals.events, false],
    ['Active users', totals.activeUsers.current, totals.activeUsers, false],
    ['Logins', totals.logins.current, totals.logins, false],
  ];
  // Inline-block boxes: side by side on a desktop, three a line on a phone, the inline default (WIDE_CSS); Outlook
  // for Windows, which ignores both, gets them as the cells of a conditional table. A sixth of
  // the row at least, and wider when their text is (zoomed text: "11,662" ran into the next box's
  // "40"), the boxes then wrapping onto another line.
  const note = suspiciousBoxNote(model, limits);
  const cells = tiles.map((tile) => tileHtml(model, tile, notComparable, note));
  const summary = weekSummary(model, limits);
  const summaryRow =
    summary === undefined
      ? ''
      : `<tr><td class="pad" style="padding:16px 12px 0;${FONT}font-size:15px;font-weight:bold;color:${INK};${WRAP}">${esc(summary)}</td></tr>\n`;
  return `${summaryRow}${afterSummary}<tr><td class="padt" style="padding:16px 12px 0;"><table ${TABLE} width="100%" style="width:100%;" bgcolor="#f8fafc"><tr><td align="center" style="font-size:0;">
<!--[if mso]><table ${TABLE} width="100%"><tr><![endif]-->${cells.join('')}<!--[if mso]></tr></table><![endif]-->
</td></tr></table></td></tr>
<tr><td class="pad" style="padding:4px 12px 0;${FONT}font-size:12px;color:${MUTED};">${esc(comparisonLine(model))}</td></tr>`;
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
