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
  // Someone still acting as a user who was let go: as grave as a sign-in an attacker made.
  activity_after_deactivation: 0,
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

/** The sorted times of `changes` under each key `keyOf` gives them (none for a null key). */
function timesBy(changes: readonly Alert[], keyOf: (change: Alert) => string | null): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const change of changes) {
    const key = keyOf(change);
    if (key === null) continue;
    const list = times.get(key) ?? [];
    list.push(change.event_time_ms);
    times.set(key, list);
  }
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

/** How many of the sorted `times` are at or after `at`. */
function countFrom(times: readonly number[] | undefined, at: number): number {
  if (times === undefined) return 0;
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) < at) low = middle + 1;
    else high = middle;
  }
  return times.length - low;
}

const bothKey = (alert: Alert): string | null =>
  alert.user_id === null || alert.ip_address === null
    ? null
    : JSON.stringify([alert.user_id, alert.ip_address]);

/**
 * For an alert, how many of `changes` (the privileged changes and bulk exports) came at or after
 * it, by its user or from its address, itself apart: what its sign-in was used for. Counted from
 * sorted times per user, per address and per both (those by its user plus those from its address,
 * less those by both), so a flood of thousands of privileged changes, each a candidate, costs
 * n log n, not n squared.
 */
function followUpCounter(changes: readonly Alert[]): (alert: Alert) => number {
  const byUser = timesBy(changes, (change) => change.user_id);
  const byAddress = timesBy(changes, (change) => change.ip_address);
  const byBoth = timesBy(changes, bothKey);
  return (alert) => {
    const at = alert.event_time_ms;
    const both = bothKey(alert);
    const union =
      (alert.user_id === null ? 0 : countFrom(byUser.get(alert.user_id), at)) +
      (alert.ip_address === null ? 0 : countFrom(byAddress.get(alert.ip_address), at)) -
      (both === null ? 0 : countFrom(byBoth.get(both), at));
    const itself = FOLLOW_UP_KINDS.has(alert.kind) && (alert.user_id !== null || alert.ip_address !== null);
    return union - (itself ? 1 : 0);
  };
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
  const followUps = followUpCounter(alerts.filter((a) => FOLLOW_UP_KINDS.has(a.kind)));
  for (const alert of alerts) {
    const rank = DIG_SERIOUSNESS[alert.kind] ?? 3;
    if (rank > topRank) continue;
    const follows = followUps(alert);
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
