/**
 * The password sprays already raised, by address (ip-network.ts `addressKey`, as the detector
 * groups failures): when each raising failure happened. The alerts checkpoint keeps them for the
 * hours a recheck may evaluate again, so that a spray a late failure shifts (its raising failure,
 * and so its id, moves) is recognised as one already sent (detect-password-spray.ts), as bursts are
 * (raised-bursts.ts). Compact: the address and 14 bytes per spray.
 */
import type { Alert } from './alert.ts';
import { addressKey } from './ip-network.ts';

/** Raise times (the raising failure's, which is the alert's time) by address key. */
export type RaisedSprays = Record<string, number[]>;

/** Records `alert` in `sprays` when it is a `password_spray` (once per address and time). */
export function addRaisedSpray(sprays: RaisedSprays, alert: Alert): void {
  if (alert.kind !== 'password_spray') return;
  const key = addressKey(alert.ip_address);
  if (key === null || key === '') return;
  const held = sprays[key] ?? [];
  if (!held.includes(alert.event_time_ms)) sprays[key] = [...held, alert.event_time_ms];
}

/** The sprays raised from `fromMs` on (older hours are no longer evaluated again). */
export const raisedSpraysFrom = (sprays: RaisedSprays, fromMs: number): RaisedSprays =>
  Object.fromEntries(
    Object.entries(sprays)
      .map(([key, held]) => [key, held.filter((at) => at >= fromMs)] as const)
      .filter(([, held]) => held.length > 0),
  );
