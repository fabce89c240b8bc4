import { DEFAULT_LAG_HOURS } from '../lake/lag-threshold.ts';
import { lakeTimestamp } from '../lake/layout.ts';
import { type AgedOutWeek, agedOutWeek, agedOutWeekNote, olderThanKept } from './aged-out-week.ts';
import { previousWeek } from './iso-week.ts';
import { lakeStartNote } from './lake-start.ts';
import { type MissingHoursClock, missingHoursClause } from './missing-hours.ts';
import { formatCount, plural } from './number-format.ts';
import { type DataHealth, noLoginsAmongActiveUsers, type WeekStatus, weekShortfall } from './report-model.ts';
import type { ReportRun } from './report-run.ts';
import { formatLocalTime } from './time-format.ts';

export interface WeekNotesInput {
  /** The week, when the report is made, and whether it is a preview. */
  run: ReportRun;
  status: WeekStatus;
  health: DataHealth;
  previousHealth: DataHealth;
  /** Users with an event in the week. */
  activeUsers: number;
  /** The ingest's lag threshold (alarms.lagHours; default lag-threshold.ts's), see missing-hours.ts. */
  ingestLagHours?: number;
  /**
   * The deployment's retention.maxDays: a week older than it is aged out by policy, not empty or
   * the lake's start (aged-out-week.ts). Absent: not known, no week is.
   */
  maxDays?: number;
}

/** How a partial week's gaps are filled: the hours before the lake begins are no gap of it. */
const REFILL = `Hours the ingest has not reached yet come with its next runs; for hours it has passed, \`verify\` given the week as its range lists them and a re-pull of them fills them (docs/operations.md, "Re-pulling a range of hours").`;

// A first backfill fills the lake oldest day first, so the week a report is due for comes last:
// a big instance's year takes a day or two, and "check the ingest" alone sent the operator
// looking for a fault while the runs were doing their job (helper BACKFILL). The week mailed
// empty is corrected by the daily corrections run (week-correction.ts), so no resend is asked for.
const BACKFILL_FIRST = `During a first backfill that is expected: it fills the lake from its oldest day and reaches this week last (\`status\` says LATE, with about how many runs are left); the deployed report mails the week again, as a correction, once the lake holds its hours (docs/report.md, "Empty and partial weeks"). Otherwise check that the ingest is running and that the lake reaches back to this week.`;

const coverage = (h: DataHealth) =>
  `${formatCount(h.coveredHours)} of ${formatCount(h.expectedHours)} hours (${h.coveragePct}%)`;

/** Where a partial week's missing hours are: in gaps, or the week's last hours not in the lake yet. */
function missingHours(health: DataHealth, clock: MissingHoursClock, zone: string): string {
  const when = (ts: string) => formatLocalTime(ts, zone);
  return (
    missingHoursClause(health, clock, when) ??
    `, in ${plural(health.gapCount, 'gap')}${health.firstMissingHour ? `, the first at ${when(health.firstMissingHour)}` : ''}`
  );
}

/**
 * Plain sentences that say how far the figures can be trusted: an empty, unfinished or gappy week
 * is reported as such (never as an error), and so is a previous week too thin to compare with.
 */
export function describeWeekStatus({
  run: { week, nowMs, preview: isPreview },
  status,
  health,
  previousHealth,
  activeUsers,
  ingestLagHours = DEFAULT_LAG_HOURS,
  maxDays,
}: WeekNotesInput): string[] {
  const notes: string[] = [];
  const clock = {
    weekStartMs: week.startMs,
    weekEndMs: week.endMs,
    madeAtMs: nowMs,
    lagHours: ingestLagHours,
    timeZone: week.timeZone,
  };
  const aged = agedOutWeek(week, nowMs, maxDays);
  const when = (ms: number) => formatLocalTime(lakeTimestamp(ms), week.timeZone);
  const preview = `This is a preview, not the week's report: ${week.isoWeek} is not over yet (report made ${formatLocalTime(lakeTimestamp(nowMs), week.timeZone)}).`;
  switch (aged && (status === 'empty' || status === 'partial') ? 'aged-out' : status) {
    case 'aged-out':
      if (aged) notes.push(agedOutWeekNote(week.isoWeek, aged, when));
      break;
    case 'empty':
      if (isPreview) notes.push(preview);
      notes.push(
        `The lake holds no data for ${week.isoWeek}: no hour of the week has been ingested. ${BACKFILL_FIRST}`,
      );
      break;
    case 'in-progress':
      notes.push(
        `${preview} The figures cover ${coverage(health)} of the week so far, so they fall short of the whole week before; the week's report is made after it ends.`,
      );
      break;
    case 'partial':
      notes.push(
        lakeStartNote(
          { isoWeek: week.isoWeek, ...clock, health, previousHealth },
          (ts) => formatLocalTime(ts, week.timeZone),
          REFILL,
        ) ??
          `Only ${coverage(health)} of ${week.isoWeek} are in the lake${missingHours(health, clock, week.timeZone)}: the figures undercount. ${REFILL}`,
      );
      break;
    case 'complete':
      break;
  }
  notes.push(...lakeChangedNotes(week.isoWeek, health));
  if (noLoginsAmongActiveUsers(health, activeUsers))
    notes.push(noLoginsNote(week.isoWeek, health, activeUsers));
  const before =
    status === 'empty'
      ? undefined
      : previousWeekNote(previousHealth, agedOutWeek(previousWeek(week), nowMs, maxDays));
  if (before) notes.push(before);
  return notes;
}

/**
 * Why a week with active users has no login: Domo's entries came without the action type the
 * category rules read (more than half of the events, the share at which the ingest says Domo's
 * entry shape may have changed), or the rules do not match this instance's sign-in actions. The
 * note blamed the rules for both, and fixing rules that were right fixed nothing. Some rules read
 * the event text alone, so a missing action type leaves them that (review F-SECOND3 L4).
 */
function noLoginsNote(isoWeek: string, health: DataHealth, activeUsers: number): string {
  const head = `No event of ${isoWeek} is a login, although ${plural(activeUsers, 'user')} ${activeUsers === 1 ? 'was' : 'were'} active`;
  const without = health.eventsWithoutActionType ?? 0;
  if (without * 2 > health.events) {
    return `${head}: ${formatCount(without)} of its ${plural(health.events, 'event')} came from Domo without an action type (actionType), one of the fields the ingest's category rules read to tell a sign-in; without it the rules had only the event text and object type to go on, and none read as a sign-in. The login, failed-login, lockout and suspicious-login figures are zero more likely for that reason than for the rules. Domo's entry shape may have changed (the field renamed or nested): the events are stored with their raw entry, and docs/ingest.md ("Fields an hour's entries lack") says what to do.`;
  }
  return `${head}: if they signed in, the ingest's category rules do not match this instance's sign-in actions, and the login, failed-login, lockout and suspicious-login figures are zero for that reason. docs/ingest.md ("Categories") says how to check and fix the rules.`;
}

/**
 * What the week's hours say of objects changed after the ingest stored them: events gone from them
 * (the figures undercount) and events the ingest did not record (they overcount).
 */
function lakeChangedNotes(isoWeek: string, health: DataHealth): string[] {
  const notes: string[] = [];
  if (health.shortHours) {
    notes.push(
      `${plural(health.shortHours, 'hour')} of ${isoWeek} ${health.shortHours === 1 ? 'holds' : 'hold'} fewer events than the ingest stored (${plural(health.shortEvents ?? 0, 'event')} gone from the lake): the figures undercount, and someone removed data. The integrity check of \`verify\` shows which objects changed, and docs/operations.md how to restore them.`,
    );
  }
  if (health.extraHours) {
    notes.push(
      `${plural(health.extraHours, 'hour')} of ${isoWeek} ${health.extraHours === 1 ? 'holds' : 'hold'} more events than the ingest recorded (the lake holds ${plural(health.extraEvents ?? 0, 'event')} more): objects the ingest did not write (a copy or a restore under the lake, forged events), or a pull cut short between an hour's object and its record, which the next pull of the hour completes; every figure, finding and change counts them as the week's. \`verify\` over the week tells which: \`not an object of this lake\` for the first, an object grown past its manifest for the second; docs/operations.md says what to do.`,
    );
  }
  return notes;
}

/** Why the week before is no good to compare with; undefined when it is. */
function previousWeekNote(previousHealth: DataHealth, aged: AgedOutWeek | undefined): string | undefined {
  // Said as the mail acts: it leaves the changes out (changesNotComparable), it does not show them inflated.
  const shortfall = weekShortfall(previousHealth);
  if (aged && (shortfall === 'no-data' || shortfall === 'partial'))
    return `The week before is ${aged.whole ? '' : 'partly '}${olderThanKept(aged.maxDays)}: its hours are aged out by policy, so changes against it are not shown.`;
  switch (shortfall) {
    case 'no-data':
      return 'The lake holds no data for the week before, so there is nothing to compare with.';
    case 'partial':
      return `The week before is only partly in the lake (${formatCount(previousHealth.coveredHours)} of ${formatCount(previousHealth.expectedHours)} hours, ${previousHealth.coveragePct}%), so changes against it are not shown.`;
    case 'events-gone':
      return `The week before lost ${plural(previousHealth.shortEvents ?? 0, 'event')} from the lake after they were stored, so changes against it are not shown.`;
    case 'events-added':
      return `The lake holds ${plural(previousHealth.extraEvents ?? 0, 'event')} of the week before that the ingest did not record, so changes against it are not shown.`;
    default:
      return undefined;
  }
}

/** What the daily rows of the query engine say against the week's days and total. */
export interface LocalDaysInput {
  isoWeek: string;
  timeZone: string;
  /** The week's local dates, from the report's own zone rules. */
  weekDays: readonly string[];
  /** Each row of daily_activity: its local date and events, as the engine counted them. */
  dayRows: readonly { day: string; events: number }[];
  /** The week's events (period_totals). */
  totalEvents: number;
  /**
   * Whether a total that differs from the days' sum counts too. A preview's queries run while the
   * ingest writes, so their counts may be read an instant apart: there only days outside the week tell.
   */
  compareTotal: boolean;
}

/**
 * Why the days may be an hour off, when the engine put events on days outside the week: its
 * time-zone rules for the zone (DuckDB's own data, Athena's Java) then differ from those the report
 * took the week's bounds and days from. Days that only fail to add up to the week's total cannot
 * be that (both queries read the same period, and each event falls on one day): the lake changed
 * between the two queries, which the note says instead. The figures stay as counted: moving events
 * between days would invent what no query said.
 */
export function localDaysNote(input: LocalDaysInput): string | undefined {
  const inWeek = new Set(input.weekDays);
  const outside = input.dayRows.filter((r) => !inWeek.has(r.day));
  const daysSum = input.dayRows.filter((r) => inWeek.has(r.day)).reduce((sum, r) => sum + r.events, 0);
  const offTotal = input.compareTotal && daysSum !== input.totalEvents;
  if (outside.length === 0 && !offTotal) return undefined;
  const { timeZone: zone, isoWeek } = input;
  const added = `The days shown add up to ${formatCount(daysSum)} of the week's ${formatCount(input.totalEvents)} events.`;
  if (outside.length === 0) {
    return `${added} The lake changed between the report's queries (an ingest or a re-pull wrote while it ran), so the days and the totals were read at different times; run the report again for figures read together.`;
  }
  const outsideEvents = outside.reduce((sum, r) => sum + r.events, 0);
  const fell = `The engine put ${plural(outsideEvents, 'event')} on ${outside.map((r) => r.day).join(', ')}, outside the week.`;
  return `Local days in ${zone} may be an hour off: the query engine's time-zone rules for ${zone} differ from the report's for ${isoWeek}. ${added} ${fell} The figures are shown as the engine counted them, and the first and last days' events and hours in the lake may include an hour of the day next to them.`;
}
