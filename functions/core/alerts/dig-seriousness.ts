/**
 * How serious each kind of alert is for the query to dig further, which can read only two days of
 * alerts: a sign-in an attacker likely made (from where it could not be, from where a spray came,
 * right after failed logins) before a sign-in from a new country, before the attempts and the
 * lesser novelties, before an unusual hour. Picking the newest days alone, the demo's message dug
 * into an unusual hour and a spray and left out the impossible travel three days before them, the
 * alert that named the stolen account (incident-responder review, F-RUNBOOK).
 */
import type { Alert, AlertKind } from './alert.ts';

/** Lower is more serious. */
export const DIG_SERIOUSNESS = {
  impossible_travel: 0,
  login_after_spray: 0,
  login_after_failures: 0,
  new_country: 1,
  // Who did it is known; whether it was theirs to do, the events around it tell.
  privileged_change: 1,
  // Who took the data out is known; whether it was theirs to take, the events around it tell.
  bulk_export: 1,
  password_spray: 2,
  lockout: 2,
  failed_login_burst: 2,
  new_network: 2,
  unusual_hour: 3,
} as const satisfies Record<AlertKind, number>;

/** The kinds that change who may do what, or take data out: what an attacker does once in. */
const FOLLOW_UP_KINDS: ReadonlySet<string> = new Set(['privileged_change', 'bulk_export']);

/**
 * How many of `changes` (the privileged changes and bulk exports) came at or after `alert`, by its
 * user or from its address: what its sign-in was used for.
 */
function followUps(alert: Alert, changes: readonly Alert[]): number {
  let count = 0;
  for (const other of changes) {
    if (other === alert || other.event_time_ms < alert.event_time_ms) continue;
    const sameUser = alert.user_id !== null && other.user_id === alert.user_id;
    const sameAddress = alert.ip_address !== null && other.ip_address === alert.ip_address;
    if (sameUser || sameAddress) count += 1;
  }
  return count;
}

/**
 * Of `alerts`, the most serious (undefined for none). Of those equally serious, the one followed by
 * the most privileged changes and bulk exports by its user or from its address, then the newest.
 * Picking the newest alone, the demo's mail dug into a sign-in after failed logins (a user back
 * from her own earlier address) and left out the impossible travel the day before, from whose
 * address came a token, a user raised to Admin and added to Admins (review ALERTIR 1).
 */
export function mostSerious(alerts: readonly Alert[]): Alert | undefined {
  let top: Alert | undefined;
  let topRank = Number.POSITIVE_INFINITY;
  let topFollowUps = -1;
  const changes = alerts.filter((a) => FOLLOW_UP_KINDS.has(a.kind));
  for (const alert of alerts) {
    const rank = DIG_SERIOUSNESS[alert.kind] ?? 3;
    if (rank > topRank) continue;
    const follows = followUps(alert, changes);
    const better =
      top === undefined ||
      rank < topRank ||
      follows > topFollowUps ||
      (follows === topFollowUps && alert.event_time_ms > top.event_time_ms);
    if (better) {
      top = alert;
      topRank = rank;
      topFollowUps = follows;
    }
  }
  return top;
}
