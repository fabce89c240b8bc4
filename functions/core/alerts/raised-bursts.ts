/**
 * The failed-login bursts already raised, by user ({@link userKey}): for each, when its raising
 * failure happened and the addresses its window held when it was raised. The alerts checkpoint keeps
 * them for the hours a recheck may evaluate again, so that a burst a late failure shifts is
 * recognised as one already sent (detect-failed-logins.ts). Compact on purpose: one
 * `[ms, ip, ip, ...]` array per burst, 15 bytes of JSON plus the address and 3 per address (about
 * 15 for an IPv4 one), and the user key plus 5 per user.
 */
import type { Alert } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { userKey } from './detection.ts';
import { failureAddressKey } from './ip-network.ts';
import type { RaisedBurst, RaisedBursts } from './raised-burst.ts';

/**
 * Addresses kept per burst. A window with more (an attacker rotating addresses) keeps the first
 * ones only: what it raises next is then recognised less often (it may be sent again), never more
 * often, and such a burst's record stays under 140 bytes (IPv4).
 */
const MAX_BURST_IPS = 8;

/**
 * The record of a `failed_login_burst` alert, its addresses read from `events` (which hold its
 * window) and kept as the detector tells them apart (ip-network.ts, failureAddressKey): one client
 * through a proxy is one address, and takes one of the 8 places, not one per spelling. Records
 * written before 2026-12-05 hold whole texts; the detector and {@link addRaisedBurst} key them as
 * they read them.
 */
function raisedBurstOf(alert: Alert, byId: ReadonlyMap<string, AlertEvent>): RaisedBurst {
  const ips = new Set<string | null>();
  for (const id of alert.event_ids) {
    const event = byId.get(id);
    if (event !== undefined) ips.add(failureAddressKey(event.ip_address));
  }
  return [alert.event_time_ms, ...[...ips].slice(0, MAX_BURST_IPS)];
}

/**
 * `events` by id, read once for all of an hour's bursts: each burst reading them all anew took an
 * attack of 9,000 bursts an hour over 2 hours of failures 62 of a run's 92 CPU seconds, the run
 * growing with bursts times events to 249 s by its third hour, near the Lambda's 5 minutes (review
 * R-ALERT4 F3).
 */
function eventsById(events: readonly AlertEvent[]): Map<string, AlertEvent> {
  const byId = new Map<string, AlertEvent>();
  for (const event of events) byId.set(event.event_id, event);
  return byId;
}

/**
 * Adds `burst` to the user's. One raised at the same time is there already when a recheck sent it
 * again for a new address: its addresses are added to that record, or the next late failure would
 * find that address unnamed and send the burst a third time with nothing new in it.
 */
export function addRaisedBurst(bursts: RaisedBursts, alert: Alert, burst: RaisedBurst): void {
  const user = userKey(alert);
  const held = bursts[user] ?? [];
  const [at, ...ips] = burst;
  const same = held.find(([heldAt]) => heldAt === at);
  if (!same) {
    bursts[user] = [...held, burst];
    return;
  }
  const [, ...named] = same;
  // Keyed: a record of an older release holds whole texts, which would take a place per spelling.
  const keys = new Set([...named, ...ips].map(failureAddressKey));
  const merged: RaisedBurst = [at, ...[...keys].slice(0, MAX_BURST_IPS)];
  // A new array: the one held may be shared (a run's evaluation keeps its records by alert id).
  bursts[user] = held.map((record) => (record === same ? merged : record));
}

/**
 * Records the `failed_login_burst` alerts among `alerts` (those of an evaluated hour) in `bursts`,
 * their addresses read from `events` (the hour and the one before), and each record by alert id in
 * `byId` when given.
 */
export function recordRaisedBursts(
  bursts: RaisedBursts,
  alerts: readonly Alert[],
  events: readonly AlertEvent[],
  byId?: Map<string, RaisedBurst>,
): void {
  const raised = alerts.filter((alert) => alert.kind === 'failed_login_burst');
  if (raised.length === 0) return;
  const byEventId = eventsById(events);
  for (const alert of raised) {
    const burst = raisedBurstOf(alert, byEventId);
    byId?.set(alert.id, burst);
    addRaisedBurst(bursts, alert, burst);
  }
}

/** The bursts raised from `fromMs` on (older hours are no longer evaluated again). */
export const raisedBurstsFrom = (bursts: RaisedBursts, fromMs: number): RaisedBursts =>
  Object.fromEntries(
    Object.entries(bursts)
      .map(([user, held]) => [user, held.filter(([at]) => at >= fromMs)] as const)
      .filter(([, held]) => held.length > 0),
  );
