/** Mondays 07:00 in report.timeZone: 420 minutes after the week it reports ends. */
export const DEFAULT_REPORT_SCHEDULE = 'cron(0 7 ? * MON *)';
export const DEFAULT_REPORT_WEEK_START_MINUTES = 7 * 60;

/**
 * The corrections-only run (report.correctionSchedule), in report.timeZone: daily at 14:00, so a
 * week mailed partial at the default Monday 07:00 can be corrected that same afternoon, past the
 * 6 hours no week is corrected within, with an hour's margin for the instances' reports queued
 * one after another; and at most one correction a day of a week whose hours come back piecemeal.
 */
export const DEFAULT_CORRECTION_SCHEDULE = 'cron(0 14 * * ? *)';
