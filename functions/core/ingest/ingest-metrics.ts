/**
 * Metric names the ingest core counts that the CDK app alarms on, shared by the core and the alarms
 * (as REPORT_METRICS is for the report) so a renamed metric cannot silently orphan its alarm.
 */
export const INGEST_METRICS = {
  /**
   * Events with an IP address stored without geo columns because the geo database could not be
   * loaded; counted per hour only while it is unavailable (no data point otherwise).
   */
  eventsUnplaced: 'EventsUnplaced',
  /** Events a run added to the lake (an hour pulled again adds only what it had not stored). */
  eventsWritten: 'EventsWritten',
  /** Entries a run added to the quarantine: together with eventsWritten, what it newly read. */
  quarantined: 'Quarantined',
} as const;

/**
 * How late, at least, a late event may be served (IngestSummary.lateByAtLeastMs) before the
 * operator is warned (the LateEventsNearLookback alarm, the command's summary): the middle of the
 * lookback. An hour is first pulled `settleMinutes` after its end and again by the runs of the
 * next `lookbackHours` hours; an event served after the last of them is never stored. The bound
 * moves in whole hours (the hour is pulled again once an hour, and a run starts no earlier than its
 * hour allows), so at the defaults (15 min + 1 h = 75 min) it is reached exactly when only the
 * hour's last pull found an event: an hour later and it would have been lost. The middle, not the
 * end: the schedule never finds an event past the end, so a warning there would never come, and
 * late events in the lookback's second half are the sign that Domo's delays have grown to its size.
 */
export const lateWarningMs = (settleMinutes: number, lookbackHours: number): number =>
  settleMinutes * 60_000 + lookbackHours * 1_800_000;
