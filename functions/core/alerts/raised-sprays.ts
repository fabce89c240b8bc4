/**
 * The password sprays already raised, by group (an address as ip-network.ts `addressKey` keys it,
 * a network, a network owner: spray-groups.ts): when each raising failure happened. The alerts checkpoint keeps them for the
 * hours a recheck may evaluate again, so that a spray a late failure shifts (its raising failure,
 * and so its id, moves) is recognised as one already sent (detect-password-spray.ts), as bursts are
 * (raised-bursts.ts). Compact: the address and 14 bytes per spray.
 */
import type { Alert } from './alert.ts';
import { addRaisedTime, type RaisedTimes } from './raised-times.ts';
import { sprayRecordKeyOf } from './spray-groups.ts';

/**
 * Raise times (the raising failure's, which is the alert's time) by the key of the spray's group:
 * its address key for the window of one address (as before 2026-12-06), else its level's
 * (spray-groups.ts, sprayRecordKey: a network, a network owner, the slower window).
 */
export type RaisedSprays = RaisedTimes;

/** Records `alert` in `sprays` when it is a `password_spray` (once per group and time). */
export function addRaisedSpray(sprays: RaisedSprays, alert: Alert): void {
  if (alert.kind !== 'password_spray') return;
  const key = sprayRecordKeyOf(alert);
  if (key !== null) addRaisedTime(sprays, key, alert.event_time_ms);
}
