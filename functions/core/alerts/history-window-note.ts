/**
 * Why the weekly report can list other suspicious logins than the alerts of the same week, said
 * where the reader sees the alerts. Both follow suspicious_logins.sql, but an alert takes its hour
 * as the period (history: the days before that hour, the week's earlier sign-ins included) and the
 * report its whole week (history: the days before the week). A user whose sign-ins during the week
 * changed what is usual for them, or who had too little history before it, is judged differently:
 * an alert on Wednesday and a report saying "No suspicious logins found" on Monday are both right,
 * and a reader who is not told so stops trusting one of them.
 */
import { ALERT_KINDS, type Alert, type AlertKind } from './alert.ts';

/**
 * Each kind's name in the note when it is judged against a history window, null when it is not
 * (an impossible journey only looks at the previous sign-in). A record of every kind, so a new
 * kind does not compile until it is said whether the week and its hour see it differently: a set
 * of the kinds that are left out a new one silently (review R-AK L1).
 */
const HISTORY_KINDS: Readonly<Record<AlertKind, string | null>> = {
  lockout: null,
  failed_login_burst: null,
  password_spray: null,
  login_after_failures: null,
  login_after_spray: null,
  impossible_travel: null,
  new_country: 'new-country',
  new_network: 'new-network-owner',
  unusual_hour: 'unusual-hour',
  privileged_change: null,
  // A fixed threshold, no history: the weekly report's bulk_data_movement judges by history.
  bulk_export: null,
  // A deactivation seen before, no history of sign-ins.
  activity_after_deactivation: null,
};

const NAMED = ALERT_KINDS.flatMap((kind) => HISTORY_KINDS[kind] ?? []);

/** `a`, `a and b`, `a, b and c`. */
const joined = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

const NAMES = joined(NAMED);
const CAPITALISED = `${NAMES.charAt(0).toUpperCase()}${NAMES.slice(1)}`;

/** The note for a message or listing holding `alerts`; undefined when none is judged against a history. */
export function historyWindowNote(
  alerts: readonly Pick<Alert, 'kind'>[],
  historyDays: number,
): string | undefined {
  if (!alerts.some((alert) => HISTORY_KINDS[alert.kind] !== null)) return undefined;
  const days = `${historyDays} day${historyDays === 1 ? '' : 's'}`;
  return `${CAPITALISED} alerts judge a login against the user's logins in the ${days} before its hour, the week's earlier logins included. The weekly report judges the whole week against the logins before the week starts, so it can list other logins than these alerts, or none of them.`;
}
