/** Metric names of the weekly report, shared by the core, the handler and the CDK app's alarms. */
export const REPORT_METRICS = {
  /** 1 for each report mailed. */
  sent: 'ReportSent',
  /** 1 for each run that did not mail because the week's report was already sent or claimed. */
  skipped: 'ReportSkipped',
  /** 1 for each correction mailed of a week mailed earlier with hours missing (week-correction.ts). */
  correctionSent: 'ReportCorrectionSent',
  /**
   * 1 for each week a run found its correction blocked by a marker left `sending` for over an hour
   * or `unknown` (week-correction.ts): nothing sends it until someone removes the marker. Sent
   * only then, so no data is the healthy state; the ReportCorrectionStuck alarm watches it.
   */
  correctionStuck: 'ReportCorrectionStuck',
  /** Bytes Athena scanned for one report (unit Bytes). */
  bytesScanned: 'ReportBytesScanned',
} as const;
