/** Mondays 07:00 in report.timeZone: 420 minutes after the week it reports ends. */
export const DEFAULT_REPORT_SCHEDULE = 'cron(0 7 ? * MON *)';
export const DEFAULT_REPORT_WEEK_START_MINUTES = 7 * 60;
