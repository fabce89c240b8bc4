/**
 * A week the lake begins in: its first hours are before the lake's first hour, which no ingest run
 * or re-pull will fill, so the notes and the data health call them so instead of a gap.
 */

import { lakeTimestamp, parseLakeTimestamp } from '../lake/layout.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import { agedOutWeek, olderThanKept } from './aged-out-week.ts';
import {
  gapsOutsideLakeStart,
  type MissingHoursClock,
  type MissingHoursHealth,
  missingHoursClock,
  overdueTrailingHours,
} from './missing-hours.ts';
import { formatCount, plural } from './number-format.ts';
import { type DataHealth, holdsNoData, type WeeklyReportModel } from './report-model.ts';

/**
 * What the functions below read: the week's first instant (UTC ms), when the report was made and
 * the ingest's lag threshold, and the two weeks' health.
 */
export interface LakeStartInput extends MissingHoursClock {
  isoWeek: string;
  health: MissingHoursHealth & Pick<DataHealth, 'coveredHours'>;
  previousHealth: Pick<DataHealth, 'coveredHours' | 'events'>;
  /** The deployment's retention.maxDays, when the report knows it (aged-out-week.ts). */
  maxDays?: number;
}

export interface LakeStartInWeek {
  /**
   * The lake's first hour (a lake timestamp); null only in a model archived before the missing
   * hours were told apart, when later gaps left it unknown.
   */
  beginsAt: string | null;
  /**
   * The week's gaps after the lake begins: runs of missing hours between two covered hours, and
   * the week's last hours the ingest should have pulled by the time the report was made.
   */
  gapsAfter: number;
  /** Their missing hours; null in a model archived before they were counted. */
  gapHoursAfter: number | null;
  /**
   * Ended hours after the week's last covered hour within the ingest's lag: not pulled yet, no gap
   * (0 when not counted).
   */
  notPulledHours: number;
}

/**
 * Whether the lake begins within the week: hours of it are in the lake, the week before holds
 * none, and the week's first missing hour is its first hour. The data health counts no hour
 * outside its period, so the week before holding nothing is what tells a lake that begins here
 * from an outage (a whole week missing right before this one would read as the lake's start; the
 * ingest catches up on its hours in order, so such a hole is not what it leaves). The lake begins
 * after the week's leading missing hours; only the runs between two covered hours are gaps, and
 * the hours after the last covered one that ended longer than the ingest's lag before the report:
 * the later ones are not pulled yet, and those not ended yet no run can have pulled. Undefined for
 * any other week.
 */
export function lakeStartInWeek(model: LakeStartInput): LakeStartInWeek | undefined {
  const { health, previousHealth } = model;
  if (health.coveredHours <= 0 || health.missingHours <= 0 || health.firstMissingHour === null)
    return undefined;
  if (!holdsNoData(previousHealth)) return undefined;
  // The data health's hours are the UTC hours overlapping the week, the first one cut by a zone
  // whose offset is not whole hours.
  const firstHourMs = floorHour(model.weekStartMs);
  if (parseLakeTimestamp(health.firstMissingHour) !== firstHourMs) return undefined;
  const { leadingMissingHours: leading, innerGapCount: inner } = health;
  if (leading === undefined || inner === undefined) return archivedLakeStart(health, firstHourMs);
  const overdue = overdueTrailingHours(health, model);
  return {
    beginsAt: lakeTimestamp(firstHourMs + leading * HOUR_MS),
    gapsAfter: inner + (overdue > 0 ? 1 : 0),
    gapHoursAfter: health.innerMissingHours === undefined ? null : health.innerMissingHours + overdue,
    notPulledHours: (health.trailingMissingHours ?? 0) - overdue,
  };
}

/**
 * A model archived before the missing hours were told apart: with one gap, that gap is the week's
 * first hours and the lake begins after its `missingHours`; with more, the first is, and where it
 * ends is not counted.
 */
function archivedLakeStart(health: LakeStartInput['health'], firstHourMs: number): LakeStartInWeek {
  return health.gapCount <= 1
    ? {
        beginsAt: lakeTimestamp(firstHourMs + health.missingHours * HOUR_MS),
        gapsAfter: 0,
        gapHoursAfter: 0,
        notPulledHours: 0,
      }
    : { beginsAt: null, gapsAfter: health.gapCount - 1, gapHoursAfter: null, notPulledHours: 0 };
}

/**
 * The data health's gaps figure: outside a week the lake begins in, missing-hours.ts's; in one, `none: the lake
 * begins Fri 6 Nov 22:00` (`1 (3 missing hours) after the lake begins
 * Fri 6 Nov 22:00` with gaps after it). `when` shows a lake timestamp on the report's clock.
 */
export function gapsFigure(model: LakeStartInput, when: (timestamp: string) => string): string {
  const aged = model.health.missingHours > 0 ? agedOutOfWeek(model) : undefined;
  // The week's missing hours are the lake's expiry, which no gap count or re-pull is for.
  if (aged) {
    const what = aged.whole ? 'the week is' : `hours before ${when(lakeTimestamp(aged.keptFromMs))} are`;
    return `none counted: ${what} ${olderThanKept(aged.maxDays)}, aged out by policy`;
  }
  const start = lakeStartInWeek(model);
  if (start === undefined) return gapsOutsideLakeStart(model.health, model, when);
  if (start.beginsAt === null) return `${formatCount(start.gapsAfter)} after the lake begins in the week`;
  if (start.gapsAfter === 0) return `none: the lake begins ${when(start.beginsAt)}`;
  const hours = start.gapHoursAfter === null ? '' : ` (${plural(start.gapHoursAfter, 'missing hour')})`;
  return `${formatCount(start.gapsAfter)}${hours} after the lake begins ${when(start.beginsAt)}`;
}

/**
 * The note on a week the lake begins in: how much of it is in the lake, where the lake begins, and
 * for gaps after that or hours not pulled yet, how they are filled (`refill`). Undefined for any
 * other week.
 */
export function lakeStartNote(
  model: LakeStartInput & { health: Pick<DataHealth, 'expectedHours' | 'coveragePct'> },
  when: (timestamp: string) => string,
  refill: string,
): string | undefined {
  const start = lakeStartInWeek(model);
  if (start === undefined) return undefined;
  const h = model.health;
  const share = `Only ${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours (${h.coveragePct}%) of ${model.isoWeek} are in the lake`;
  const gaps = `${start.gapsAfter === 1 ? 'is' : 'are'} ${plural(start.gapsAfter, 'gap')}`;
  if (start.beginsAt === null)
    return `${share}: the lake begins within the week (the week before holds no hour), and after it begins there ${gaps}: the figures undercount. ${refill}`;
  const begins = `${share}: the lake begins ${when(start.beginsAt)} (the week before holds no hour)`;
  if (start.gapsAfter > 0)
    return `${begins}, and after it begins there ${gaps}: the figures undercount. ${refill}`;
  if (start.notPulledHours > 0)
    return `${begins}; the hours before it are before the lake begins, not a gap, and the week's last ${plural(start.notPulledHours, 'hour')} ${start.notPulledHours === 1 ? 'is' : 'are'} not in the lake yet: the figures undercount. ${refill}`;
  return `${begins}, so the figures cover the week from then on; the hours before it are before the lake begins, not a gap.`;
}

/** The part of the week the lake has aged out when the report was made; undefined for none. */
const agedOutOfWeek = (model: LakeStartInput) => {
  const startMs = floorHour(model.weekStartMs);
  return agedOutWeek(
    { startMs, endMs: startMs + model.health.expectedHours * HOUR_MS },
    model.madeAtMs,
    model.maxDays,
  );
};

/** {@link LakeStartInput} of a report's model. */
export const lakeStartInput = (
  model: Pick<
    WeeklyReportModel,
    'week' | 'generatedAt' | 'ingestLagHours' | 'maxDays' | 'health' | 'previousHealth' | 'timeZone'
  >,
): LakeStartInput => ({
  isoWeek: model.week.isoWeek,
  ...missingHoursClock(model),
  health: model.health,
  previousHealth: model.previousHealth,
  ...(model.maxDays === undefined ? {} : { maxDays: model.maxDays }),
});
