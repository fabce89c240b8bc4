/**
 * The words of the bulk-data-movement section, shared by the HTML and text parts: the week's users
 * who exported or shared far more than their own weeks before (bulk_data_movement.sql), and those
 * who did for the first time. What a leaver taking data looks like: their own volume, not a kind
 * of event no one else makes (review R-CISO).
 */
import { QUERY_DEFAULTS } from '../queries/query-params.ts';
import { formatCount, plural } from './number-format.ts';
import type { BulkDataMover, WeeklyReportModel } from './report-model.ts';
import { formatDay } from './time-format.ts';

export const BULK_MOVEMENT_HEADING = 'Bulk data movement';

/** Rows the mail lists at most: the archived JSON and `query bulk_data_movement` have them all. */
export const BULK_MOVERS_SHOWN = 10;

export const BULK_MOVEMENT_CAPTION =
  'Users whose exports and shares this week were at least 3 times their own usual (and at least ' +
  '5), or who moved data for the first time: a leaver taking data moves more than they used to.';

const NO_BULK_MOVEMENT = 'No user exported or shared far beyond their own usual, nor for the first time.';

/**
 * What the section says when it lists nobody: {@link NO_BULK_MOVEMENT}, or, when the lake holds
 * none of the history each user is judged against (a lake younger than the week, a purged one),
 * that nobody was judged, as `query bulk_data_movement` notes it: "no user" there reassured a
 * reader on a week nobody could be judged (review of stop 89).
 */
export function noBulkMovement(model: WeeklyReportModel): string {
  if (!model.bulkDataNoHistory) return NO_BULK_MOVEMENT;
  const days = plural(model.loginHistory?.historyDays ?? QUERY_DEFAULTS.historyDays, 'day');
  return `Nobody could be judged: the lake holds none of the ${days} before ${formatDay(model.week.days[0] ?? '')}, and each user is judged against their own; query data_movement lists the week's exports and shares.`;
}

/** The week's bulk movers in all (0 for a model archived before they were read). */
export const bulkMoversTotal = (model: WeeklyReportModel): number => model.bulkDataMoversTotal ?? 0;

/** The movers far above their usual, apart from the first-time ones: the graver finding. */
export const aboveBaseline = (model: WeeklyReportModel): BulkDataMover[] =>
  (model.bulkDataMovers ?? []).filter((m) => m.finding !== 'first_time');

/** `8 exports (4 whole datasets), 6 shares`: what the week's moves were. */
export function movesMade(m: BulkDataMover): string {
  const datasets = m.datasetExports > 0 ? ` (${plural(m.datasetExports, 'whole dataset')})` : '';
  const parts = [
    ...(m.exports > 0 ? [`${plural(m.exports, 'export')}${datasets}`] : []),
    ...(m.shares > 0 ? [plural(m.shares, 'share')] : []),
  ];
  return parts.join(', ');
}

/**
 * `14 exports and shares against about 3 a week before`, or `first time: none among their 1,057
 * events before`: the week against the user's own history, in the section's words. `moves` read
 * as jargon at the top of the mail a CISO forwards (review R-CISO2).
 */
export function againstUsual(m: BulkDataMover): string {
  if (m.finding === 'first_time') {
    return `first time: none among their ${formatCount(m.historyEvents)} events before`;
  }
  const usual = m.baselineMoves < 1 ? 'under 1' : `about ${formatCount(Math.round(m.baselineMoves))}`;
  return `${plural(m.moves, 'export or share', 'exports and shares')} against ${usual} a week before`;
}

/** `Listed: the first 10 of 42, most moves first`, or nothing when all are listed. */
export function bulkMoversListed(model: WeeklyReportModel, shown: number): string | undefined {
  const total = bulkMoversTotal(model);
  if (shown >= total) return undefined;
  return `Listed: the first ${formatCount(shown)} of ${formatCount(total)}, most moves first; query bulk_data_movement lists them all`;
}

/** The first line's part: `2 users moving far more data than usual`, or nothing. */
export function bulkMovementPart(model: WeeklyReportModel): string[] {
  const above = aboveBaseline(model).length;
  return above > 0 ? [`${plural(above, 'user')} moving far more data than usual`] : [];
}
