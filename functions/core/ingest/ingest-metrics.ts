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
