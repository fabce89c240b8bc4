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

/** Of `alerts`, the most serious, the newest of those (undefined for none). */
export function mostSerious(alerts: readonly Alert[]): Alert | undefined {
  let top: Alert | undefined;
  for (const alert of alerts) {
    const rank = DIG_SERIOUSNESS[alert.kind] ?? 3;
    const topRank = top === undefined ? Number.POSITIVE_INFINITY : (DIG_SERIOUSNESS[top.kind] ?? 3);
    if (rank < topRank || (rank === topRank && alert.event_time_ms > (top?.event_time_ms ?? 0))) top = alert;
  }
  return top;
}
