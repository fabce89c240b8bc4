/**
 * A week's missing hours outside the lake's first week, told apart (lake-start.ts has that week):
 * a gap is a run of ended hours that a covered hour follows, or the run that opens the week, or
 * the week's last ended hours after its last covered one that the ingest should have pulled by the
 * time the report was made (overdueTrailingHours); the rest of those last hours are not in the
 * lake yet (the ingest pulls hours in order and has not reached them, or they have not ended),
 * which no gap count or re-pull is for.
 */

import { DEFAULT_LAG_HOURS } from '../lake/lag-threshold.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import { formatCount, plural } from './number-format.ts';
import type { DataHealth, WeeklyReportModel } from './report-model.ts';

/**
 * When the report was made and by what lag the ingest is late, as the lag alarm judges it: the
 * data health reads no watermark (each scan reads the week's days only), so the report's clock
 * and that rule tell the hours the ingest has not reached yet from those it should have.
 */
export interface MissingHoursClock {
  /** The week's first instant (UTC ms). */
  weekStartMs: number;
  /** Epoch ms the report was made at (its run's clock reading, the model's `generatedAt`). */
  madeAtMs: number;
  /** The lag alarm's threshold, alarms.lagHours (lag-threshold.ts). */
  lagHours: number;
}

/** The {@link MissingHoursClock} of a report's model: a model archived without its lag took the default. */
export const missingHoursClock = (
  model: Pick<WeeklyReportModel, 'week' | 'generatedAt' | 'ingestLagHours'>,
): MissingHoursClock => ({
  weekStartMs: Date.parse(model.week.startUtc),
  madeAtMs: Date.parse(model.generatedAt),
  lagHours: model.ingestLagHours ?? DEFAULT_LAG_HOURS,
});

export type MissingHoursHealth = Pick<
  DataHealth,
  | 'expectedHours'
  | 'gapCount'
  | 'missingHours'
  | 'firstMissingHour'
  | 'leadingMissingHours'
  | 'innerGapCount'
  | 'innerMissingHours'
  | 'trailingMissingHours'
  | 'notClosedHours'
>;

export interface MissingHoursApart {
  gaps: number;
  gapHours: number;
  /** The first gap's first hour (a lake timestamp); null without a gap. */
  firstGapHour: string | null;
  /** Ended hours after the week's last covered hour, within the lag: the ingest has not reached them. */
  notPulledHours: number;
  /** Hours not ended when the report was made: no run can have pulled them. */
  notEndedHours: number;
}

/**
 * Of the week's ended hours after its last covered one, how many the ingest should have pulled by
 * the time the report was made: those that ended more than the lag threshold before it (a
 * watermark further behind is late, and the lag alarm says so). They are a gap: a week long past
 * whose last hours are missing has lost them, whatever hours of it are covered before.
 */
export function overdueTrailingHours(
  h: Pick<DataHealth, 'expectedHours' | 'trailingMissingHours' | 'notClosedHours'>,
  clock: MissingHoursClock,
): number {
  const trailing = h.trailingMissingHours ?? 0;
  if (trailing <= 0) return 0;
  // The query's hours are the UTC hours overlapping the week; the ended trailing ones come right
  // before those not ended.
  const runEndMs = floorHour(clock.weekStartMs) + (h.expectedHours - (h.notClosedHours ?? 0)) * HOUR_MS;
  const dueEndMs = floorHour(clock.madeAtMs - clock.lagHours * HOUR_MS);
  return Math.max(0, Math.min(trailing, (dueEndMs - (runEndMs - trailing * HOUR_MS)) / HOUR_MS));
}

/**
 * The missing hours apart; undefined for a model archived before data_health told them apart. A
 * week the lake holds no hour of has them all before its first covered hour (the query's leading
 * ones): one gap, as the week before holds hours.
 */
export function missingHoursApart(
  h: MissingHoursHealth,
  clock: MissingHoursClock,
): MissingHoursApart | undefined {
  if (h.leadingMissingHours === undefined || h.innerGapCount === undefined) return undefined;
  const leading = h.leadingMissingHours;
  const overdue = overdueTrailingHours(h, clock);
  const gapHours = leading + (h.innerMissingHours ?? 0) + overdue;
  // The runs come in order, so the first missing hour is the first gap's when there is one.
  return {
    gaps: h.innerGapCount + (leading > 0 ? 1 : 0) + (overdue > 0 ? 1 : 0),
    gapHours,
    firstGapHour: gapHours > 0 ? h.firstMissingHour : null,
    notPulledHours: (h.trailingMissingHours ?? 0) - overdue,
    notEndedHours: h.notClosedHours ?? 0,
  };
}

/**
 * `the week's last 20 hours are not in the lake yet (18 not ended yet)`, or undefined when every
 * missing hour is in a gap.
 */
export function notYetPhrase({
  notPulledHours: pulled,
  notEndedHours: ended,
}: MissingHoursApart): string | undefined {
  const hours = pulled + ended;
  if (hours === 0) return undefined;
  const last = `the week's last ${plural(hours, 'hour')}`;
  if (pulled === 0) return `${last} ${hours === 1 ? 'has' : 'have'} not ended yet`;
  const notEnded = ended > 0 ? ` (${formatCount(ended)} not ended yet)` : '';
  return `${last} ${hours === 1 ? 'is' : 'are'} not in the lake yet${notEnded}`;
}

/**
 * The data health's gaps figure outside the lake's first week: `2 (18 missing hours), first
 * missing hour Mon 16 Nov 00:00`, then what is not in the lake yet (`none; the week's last 96
 * hours have not ended yet`): a preview called its hours still to come a gap, and an ingest a few
 * hours behind the week's end made the mail report one. A model archived before the hours were
 * told apart reads as it did.
 */
export function gapsOutsideLakeStart(
  h: MissingHoursHealth,
  clock: MissingHoursClock,
  when: (timestamp: string) => string,
): string {
  const apart = missingHoursApart(h, clock);
  if (apart === undefined) {
    // The hours with the count: `Gaps: 1` of an empty week read as one missing hour (review R-PHONE L9).
    const hours = h.gapCount > 0 && h.missingHours > 0 ? ` (${plural(h.missingHours, 'missing hour')})` : '';
    return `${formatCount(h.gapCount)}${hours}${h.firstMissingHour ? `, first missing hour ${when(h.firstMissingHour)}` : ''}`;
  }
  const first = apart.firstGapHour ? `, first missing hour ${when(apart.firstGapHour)}` : '';
  const head =
    apart.gaps === 0
      ? 'none'
      : `${formatCount(apart.gaps)} (${plural(apart.gapHours, 'missing hour')})${first}`;
  const notYet = notYetPhrase(apart);
  return notYet ? `${head}; ${notYet}` : head;
}

/**
 * What the partial week's note says of its missing hours outside the lake's first week: `in 2
 * gaps, the first at Mon 16 Nov 00:00`, `, and the week's last 5 hours are not in the lake yet`,
 * or only the latter (`; the week's last …`). Undefined for a model archived before they were told
 * apart.
 */
export function missingHoursClause(
  h: MissingHoursHealth,
  clock: MissingHoursClock,
  when: (timestamp: string) => string,
): string | undefined {
  const apart = missingHoursApart(h, clock);
  if (apart === undefined) return undefined;
  const notYet = notYetPhrase(apart);
  if (apart.gaps === 0) return notYet ? `; ${notYet}` : '';
  const first = apart.firstGapHour ? `, the first at ${when(apart.firstGapHour)}` : '';
  return `, in ${plural(apart.gaps, 'gap')}${first}${notYet ? `, and ${notYet}` : ''}`;
}
