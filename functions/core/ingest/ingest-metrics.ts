import { HOUR_MS, MINUTE_MS } from '../time-units.ts';

/**
 * Every counter the ingest counts (the core, and `apiRetries` its handler), shared by the code that
 * counts them and the CDK app's alarms and dashboard (as REPORT_METRICS is for the report), so a
 * renamed metric cannot silently orphan an alarm or a widget.
 */
export const INGEST_METRICS = {
  /** Hours a run stored (pulled and written, or found unchanged). */
  windowsCompleted: 'WindowsCompleted',
  /** Hours a run planned and could not store. */
  windowsFailed: 'WindowsFailed',
  /** Events found in an hour pulled again that its earlier pulls had not served. */
  lateEvents: 'LateEvents',
  /** Entries Domo served outside the hour asked for. */
  outOfWindow: 'OutOfWindow',
  /** Activity Log requests that brought a page. */
  apiRequests: 'ApiRequests',
  /** Requests retried after a throttle, a server error or a broken connection. */
  apiRetries: 'ApiRetries',
  /** Runs that left the lake behind with its watermark where it was (a run made no progress). */
  runsWithoutProgress: 'RunsWithoutProgress',
  /**
   * Events with an IP address stored without geo columns because the geo database could not be
   * loaded; counted per hour only while it is unavailable (no data point otherwise).
   */
  eventsUnplaced: 'EventsUnplaced',
  /** Events a run added to the lake (an hour pulled again adds only what it had not stored). */
  eventsWritten: 'EventsWritten',
  /** Entries a run added to the quarantine: together with eventsWritten, what it newly read. */
  quarantined: 'Quarantined',
  /** Hours a run pulled once more, `repullAfterHours` after they ended (its later pulls). */
  laterPullsDone: 'LaterPullsDone',
  /** Hours whose later pull failed its last try: given up (what their earlier pulls stored stands). */
  laterPullsGivenUp: 'LaterPullsGivenUp',
  /**
   * Events a pull stored again as Domo changed a value of theirs (the manifest's changed_in_value):
   * Domo's entries changed since the hour was stored.
   */
  changedInValue: 'ChangedInValue',
  /**
   * Entries a pull left out as events its hour stored in another shape (the manifest's reshaped):
   * Domo changed the shape of its entries (a field renamed, nested or nulled, another action).
   */
  reshaped: 'Reshaped',
  /** Hours whose entries mostly lack a watched field (the manifest's missing_fields): a shape change. */
  shapeChangedHours: 'ShapeChangedHours',
  /** Hours whose identical twins look like rows served twice (twin-entries.ts). */
  twinHours: 'TwinHours',
} as const;

/**
 * Counters that are 0 on almost every run: their zero totals are not published (review R-COST
 * LOW-2: CloudWatch bills a custom metric for every hour it receives a point, so a 0 sent every
 * run cost $0.30 a month each). Alarms and widgets reading them take no data as 0 (not breaching).
 */
export const USUALLY_ZERO_INGEST_METRICS: ReadonlySet<string> = new Set([
  INGEST_METRICS.laterPullsGivenUp,
  INGEST_METRICS.lateEvents,
  INGEST_METRICS.outOfWindow,
  INGEST_METRICS.quarantined,
  INGEST_METRICS.changedInValue,
  INGEST_METRICS.reshaped,
  INGEST_METRICS.shapeChangedHours,
  INGEST_METRICS.twinHours,
]);

/**
 * How late, at least, a late event may be served (IngestSummary.lateByAtLeastMs) before the
 * operator is warned (the LateEventsNearLookback alarm, the command's summary): `settleMinutes` +
 * half of `lookbackHours`, the lookback's middle, but no later than what the hour's last pull
 * reads. An hour is first pulled `settleMinutes` after its end and again by the runs of the next
 * `lookbackHours` hours; an event served after the last of them is never stored. The bound moves
 * in whole hours (the hour is pulled again once an hour, and a run starts no earlier than its hour
 * allows): the k-th re-pull reads at least `settleMinutes` + (k − 1) h, the last one
 * `settleMinutes` + (lookbackHours − 1) h. So the warning comes whenever only the hour's last pull
 * found an event (an hour later and it would have been lost): at the defaults (15 min + 1 h) that
 * pull alone reaches it, with a 6-hour lookback the 4th re-pull on, and with a 1-hour lookback,
 * whose only re-pull is the last, every late event (half of it, 45 min, was never reached). The
 * middle, not the end: the schedule never finds an event past the end, so a warning there would
 * never come, and late events in the lookback's second half are the sign that Domo's delays have
 * grown to its size. With a lookback of 0 no hour is pulled again and the schedule finds no late
 * event: the figure is `settleMinutes`, and the stack has no alarm then.
 */
export const lateWarningMs = (settleMinutes: number, lookbackHours: number): number =>
  settleMinutes * MINUTE_MS + Math.min(lookbackHours / 2, Math.max(lookbackHours - 1, 0)) * HOUR_MS;
