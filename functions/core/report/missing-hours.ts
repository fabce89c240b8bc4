/**
 * A week's missing hours outside the lake's first week, told apart (lake-start.ts has that week):
 * a gap is a run of ended hours that a covered hour follows, or the run that opens the week, or
 * the week's last ended hours after its last covered one that the ingest should have pulled by the
 * time the report was made (overdueTrailingHours); the rest of those last hours are not in the
 * lake yet (the ingest pulls hours in order and has not reached them, or they have not ended),
 * which no gap count or re-pull is for.
 */

import { DEFAULT_LAG_HOURS } from '../lake/lag-threshold.ts';
import { lakeTimestamp, parseLakeTimestamp } from '../lake/layout.ts';
import { listItems } from '../queries/list-columns.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import { formatCount, plural } from './number-format.ts';
import type { DataHealth, MissingRun, WeeklyReportModel } from './report-model.ts';
import { spanOffsets } from './time-format.ts';

/**
 * When the report was made and by what lag the ingest is late, as the lag alarm judges it: the
 * data health reads no watermark (each scan reads the week's days only), so the report's clock
 * and that rule tell the hours the ingest has not reached yet from those it should have.
 */
export interface MissingHoursClock {
  /** The week's first instant (UTC ms). */
  weekStartMs: number;
  /** The week's end, the next week's first instant (UTC ms). */
  weekEndMs: number;
  /** Epoch ms the report was made at (its run's clock reading, the model's `generatedAt`). */
  madeAtMs: number;
  /** The lag alarm's threshold, alarms.lagHours (lag-threshold.ts). */
  lagHours: number;
  /** The report's zone: a gap across a change of its clocks names each end's offset. */
  timeZone?: string;
}

/** The {@link MissingHoursClock} of a report's model: a model archived without its lag took the default. */
export const missingHoursClock = (
  model: Pick<WeeklyReportModel, 'week' | 'generatedAt' | 'ingestLagHours' | 'timeZone'>,
): MissingHoursClock => ({
  weekStartMs: Date.parse(model.week.startUtc),
  weekEndMs: Date.parse(model.week.endUtc),
  madeAtMs: Date.parse(model.generatedAt),
  lagHours: model.ingestLagHours ?? DEFAULT_LAG_HOURS,
  timeZone: model.timeZone,
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
  | 'missingRuns'
>;

/** One of data_health's `missing_runs`: `2026-11-17T03:00Z/PT2H`, an ISO 8601 interval of UTC hours. */
const RUN = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)Z\/PT(\d+)H$/;

/** data_health's `missing_runs` as the model holds them. */
export function missingRunsOf(text: string | null): MissingRun[] {
  return listItems(text).map((item) => {
    const [, day, time, hours] = RUN.exec(item) ?? [];
    if (hours === undefined)
      throw new Error(
        `query data_health returned missing_runs item "${item}", expected one like 2026-11-17T03:00Z/PT2H`,
      );
    return { start: `${day} ${time}:00.000`, hours: Number(hours) };
  });
}

export interface MissingHoursApart {
  gaps: number;
  gapHours: number;
  /** The first gap's first hour (a lake timestamp); null without a gap. */
  firstGapHour: string | null;
  /**
   * The first of the gaps, each as a run of hours (the week's last ones cut to those overdue);
   * undefined for a model archived before data_health named them.
   */
  gapRuns: MissingRun[] | undefined;
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
    gapRuns: gapRunsOf(h, clock, overdue),
    notPulledHours: (h.trailingMissingHours ?? 0) - overdue,
    notEndedHours: h.notClosedHours ?? 0,
  };
}

/**
 * Of data_health's runs of ended missing hours, the gaps: the run the week's ended hours end with,
 * after its last covered hour, is one only for its first `overdue` hours (the rest are not pulled
 * yet).
 */
function gapRunsOf(
  h: MissingHoursHealth,
  clock: MissingHoursClock,
  overdue: number,
): MissingRun[] | undefined {
  if (h.missingRuns === undefined) return undefined;
  const endedMs = floorHour(clock.weekStartMs) + (h.expectedHours - (h.notClosedHours ?? 0)) * HOUR_MS;
  const trailing = (run: MissingRun) =>
    (h.trailingMissingHours ?? 0) > 0 && parseLakeTimestamp(run.start) + run.hours * HOUR_MS === endedMs;
  return h.missingRuns
    .map((run) => (trailing(run) ? { ...run, hours: overdue } : run))
    .filter((run) => run.hours > 0);
}

/**
 * `when` of a time of the week's gaps, cut to the week: the data health's hours are the UTC hours
 * overlapping it, so in a zone whose offset is not whole hours (Asia/Kolkata, +05:30) its first
 * hour begins before the week does and its last ends after (a gap named `Sun 15 Nov 23:30`, before
 * the week's Monday 00:00); the part of such an hour in the week begins at the week's start.
 */
const inWeek =
  (clock: MissingHoursClock, when: (timestamp: string) => string) =>
  (timestamp: string): string => {
    const ms = parseLakeTimestamp(timestamp);
    if (Number.isNaN(ms)) return when(timestamp);
    return when(lakeTimestamp(Math.min(Math.max(ms, clock.weekStartMs), clock.weekEndMs)));
  };

/**
 * The gaps by their hours: `Tue 17 Nov 03:00-05:00 and Thu 19 Nov 14:00` (a run of several hours
 * from its first hour's start to its last one's end, one hour by its start), `…, … and 2 more` past
 * those data_health named; each end with its offset when the clocks changed between them (`Sun 1
 * Nov 00:00 -04:00 to 01:00 -05:00`: `00:00-01:00` read as one hour of two). Undefined when it
 * named none (a model archived before it did).
 */
function gapRangesPhrase(
  apart: MissingHoursApart,
  when: (timestamp: string) => string,
  timeZone: string | undefined,
): string | undefined {
  const runs = apart.gapRuns;
  if (runs === undefined || runs.length === 0) return undefined;
  const named = runs.map(({ start, hours }) => {
    const from = when(start);
    if (hours === 1) return from;
    const end = lakeTimestamp(parseLakeTimestamp(start) + hours * HOUR_MS);
    const to = when(end);
    const [fromOffset, toOffset] = timeZone ? spanOffsets(start, end, timeZone) : ['', ''];
    // The day once when the run ends on the day it began.
    const sameDay = from.slice(0, -5) === to.slice(0, -5);
    if (sameDay && fromOffset === '') return `${from}-${to.slice(-5)}`;
    return `${from}${fromOffset} to ${sameDay ? to.slice(-5) : to}${toOffset}`;
  });
  const more = apart.gaps - named.length;
  if (more > 0) return `${named.join(', ')} and ${formatCount(more)} more`;
  return named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
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
 * The data health's gaps figure outside the lake's first week: `2 (3 missing hours): Tue 17 Nov
 * 03:00-05:00 and Thu 19 Nov 14:00` (`, first missing hour Mon 16 Nov 00:00` in a model archived
 * before the runs were read), then what is not in the lake yet (`none; the week's last 96
 * hours have not ended yet`): a preview called its hours still to come a gap, and an ingest a few
 * hours behind the week's end made the mail report one. A model archived before the hours were
 * told apart reads as it did.
 */
export function gapsOutsideLakeStart(
  h: MissingHoursHealth,
  clock: MissingHoursClock,
  zoneWhen: (timestamp: string) => string,
): string {
  const when = inWeek(clock, zoneWhen);
  const apart = missingHoursApart(h, clock);
  if (apart === undefined) {
    // The hours with the count: `Gaps: 1` of an empty week read as one missing hour (review R-PHONE L9).
    const hours = h.gapCount > 0 && h.missingHours > 0 ? ` (${plural(h.missingHours, 'missing hour')})` : '';
    return `${formatCount(h.gapCount)}${hours}${h.firstMissingHour ? `, first missing hour ${when(h.firstMissingHour)}` : ''}`;
  }
  const ranges = gapRangesPhrase(apart, when, clock.timeZone);
  const first = ranges
    ? `: ${ranges}`
    : apart.firstGapHour
      ? `, first missing hour ${when(apart.firstGapHour)}`
      : '';
  const head =
    apart.gaps === 0
      ? 'none'
      : `${formatCount(apart.gaps)} (${plural(apart.gapHours, 'missing hour')})${first}`;
  const notYet = notYetPhrase(apart);
  return notYet ? `${head}; ${notYet}` : head;
}

/**
 * What the partial week's note says of its missing hours outside the lake's first week: `in 2
 * gaps (Tue 17 Nov 03:00-05:00 and Thu 19 Nov 14:00)`, `, and the week's last 5 hours are not in
 * the lake yet`, or only the latter (`; the week's last …`); a model archived before the runs were
 * read names the first gap's hour (`, the first at Mon 16 Nov 00:00`). Undefined for one archived
 * before the hours were told apart.
 */
export function missingHoursClause(
  h: MissingHoursHealth,
  clock: MissingHoursClock,
  zoneWhen: (timestamp: string) => string,
): string | undefined {
  const when = inWeek(clock, zoneWhen);
  const apart = missingHoursApart(h, clock);
  if (apart === undefined) return undefined;
  const notYet = notYetPhrase(apart);
  if (apart.gaps === 0) return notYet ? `; ${notYet}` : '';
  const ranges = gapRangesPhrase(apart, when, clock.timeZone);
  const first = ranges
    ? ` (${ranges})`
    : apart.firstGapHour
      ? `, the first at ${when(apart.firstGapHour)}`
      : '';
  return `, in ${plural(apart.gaps, 'gap')}${first}${notYet ? `, and ${notYet}` : ''}`;
}
