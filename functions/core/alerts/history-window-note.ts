/**
 * Why the weekly report can list other suspicious logins than the alerts of the same week, said
 * where the reader sees the alerts. Both follow suspicious_logins.sql, but an alert takes its hour
 * as the period (history: the days before that hour, the week's earlier sign-ins included) and the
 * report its whole week (history: the days before the week). A user whose sign-ins during the week
 * changed what is usual for them, or who had too little history before it, is judged differently:
 * an alert on Wednesday and a report saying "No suspicious logins found" on Monday are both right,
 * and a reader who is not told so stops trusting one of them.
 */
import type { Alert, AlertKind } from './alert.ts';

/** The kinds judged against a history window (an impossible journey only looks at the previous sign-in). */
const HISTORY_KINDS: ReadonlySet<AlertKind> = new Set(['new_country', 'new_network', 'unusual_hour']);

/** The note for a message or listing holding `alerts`; undefined when none is judged against a history. */
export function historyWindowNote(
  alerts: readonly Pick<Alert, 'kind'>[],
  historyDays: number,
): string | undefined {
  if (!alerts.some((alert) => HISTORY_KINDS.has(alert.kind))) return undefined;
  const days = `${historyDays} day${historyDays === 1 ? '' : 's'}`;
  return `New-country, new-network-owner and unusual-hour alerts judge a login against the user's logins in the ${days} before its hour, the week's earlier logins included. The weekly report judges the whole week against the logins before the week starts, so it can list other logins than these alerts, or none of them.`;
}
