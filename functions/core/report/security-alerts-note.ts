/**
 * Why the security alerts can list other suspicious logins than the weekly report, said in the
 * report itself. Both follow suspicious_logins.sql, but an alert judges its hour against the days
 * right before that hour (the week's earlier logins included), the report the whole week against
 * the days before the week. An operator who got an alert on Wednesday and reads "No suspicious
 * logins found" on Monday would otherwise take one of them for wrong. The alert message says the
 * same below such alerts (alerts/history-window-note.ts).
 */
import { formatCount, plural } from './number-format.ts';
import { holdsNoData, type WeeklyReportModel } from './report-model.ts';

/**
 * The sentence under the suspicious logins when alerts run on the instance, with the alerts' history
 * for the hour and the query's for the week (a model archived before the alerts' was recorded said
 * the query's for both), then the alerts' other judging where it differs from the report's;
 * undefined when they do not run (or the model was archived before). Undefined too when the lake
 * holds nothing of the week: the alerts read the same lake, so they found nothing in it either, and
 * there is no difference to explain under "No data for this week."
 */
export function securityAlertsSentence(
  model: Pick<WeeklyReportModel, 'securityAlerts' | 'health'>,
): string | undefined {
  if (!model.securityAlerts || holdsNoData(model.health)) return undefined;
  const { historyDays, alertHistoryDays = historyDays, minHistoryLogins, maxSpeedKmh } = model.securityAlerts;
  const also = [
    minHistoryLogins &&
      `need ${plural(minHistoryLogins.alerts, 'login')} of history before a user's new country, network owner or hour counts (this report: ${formatCount(minHistoryLogins.report)})`,
    maxSpeedKmh &&
      `call a journey faster than ${formatCount(maxSpeedKmh.alerts)} km/h impossible (this report: ${formatCount(maxSpeedKmh.report)} km/h)`,
  ].filter(Boolean);
  const judging = also.length > 0 ? ` They also ${also.join(', and ')}.` : '';
  return `Security alerts judge each hour against the ${plural(alertHistoryDays, 'day')} before that hour, not the week against the ${plural(historyDays, 'day')} before the week, so they can list logins this report does not, or the reverse: see the alert messages, or run the suspicious_logins query over the alert's hour.${judging}`;
}
