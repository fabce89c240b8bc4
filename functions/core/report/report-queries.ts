/**
 * The catalog queries one weekly report runs, one entry per run, in the order
 * buildReportModel (build-report-model.ts) starts them (period_totals and data_health twice: the week and the week
 * before). Its length is the report's query count, which shares the report's time among the
 * queries (query-time-limit.ts) and which the failure mail and the tests read: a section's new
 * query goes here and in buildReportModel's list, whose type holds it to this length.
 */
export const REPORT_QUERIES = [
  'period_totals',
  'period_totals',
  'daily_activity',
  'most_active_users',
  'trending_cards',
  'popular_pages',
  'suspicious_logins',
  'failed_logins_and_lockouts',
  'failed_logins_by_ip',
  'failed_logins_by_network',
  'data_health',
  'data_health',
  'logins_by_country',
  'login_history',
  'uncounted_sign_ins',
  'login_after_failures',
  'admin_changes',
  'bulk_data_movement',
] as const;

export type ReportQueryName = (typeof REPORT_QUERIES)[number];

/** One value for each entry of {@link REPORT_QUERIES}: a list of another length fails the type check. */
export type OnePerReportQuery<T> = OneEach<typeof REPORT_QUERIES, T>;

/** A tuple of `T`s as long as `List` (mapped through a type parameter, so it stays a tuple). */
type OneEach<List extends readonly unknown[], T> = { -readonly [K in keyof List]: T };
