/**
 * The addresses an alert stands for, with the country the geo data placed each event in: what an
 * expected-activity rule's `ip` and `country` must hold, every one of them (quiet-alerts.ts): a
 * journey's departure as well as its arrival (review R-MUTE H1, R-MUTE2 B). Sign-in alerts only:
 * failure alerts are never quieted (review R-MUTE4), so they carry none.
 */
import type { AlertEvent } from './alert-event.ts';

/** One address text of the events an alert counts, and the country its event was placed in. */
export interface AlertAddress {
  /** The text as the event carried it; null when the event had none (no rule's `ip` holds it). */
  ip: string | null;
  /** ISO code, upper case; absent when the event was not placed. */
  country?: string;
}

/**
 * Bounds on the distinct addresses kept: an alert is held in the checkpoint until it is taken in,
 * and an attacker may change the text with every attempt. Past them the list is `partial`, and a
 * partial list never matches an `ip` or `country` rule: what was cut is not known to match.
 */
export const ALERT_ADDRESSES = 20;
export const ALERT_ADDRESS_TEXT_CHARS = 256;
export const ALERT_ADDRESS_CHARS = 2_048;

interface AlertAddresses {
  addresses: AlertAddress[];
  addresses_partial?: true;
}

const keyOf = (address: AlertAddress): string => JSON.stringify([address.ip, address.country ?? null]);

/** The distinct addresses (and countries) of `events`, bounded ({@link ALERT_ADDRESSES}). */
export function alertAddresses(
  events: readonly Pick<AlertEvent, 'ip_address' | 'ip_country'>[],
): AlertAddresses {
  const seen = new Map<string, AlertAddress>();
  let chars = 0;
  let partial = false;
  for (const event of events) {
    const address: AlertAddress = {
      ip: event.ip_address,
      ...(event.ip_country ? { country: event.ip_country.toUpperCase() } : {}),
    };
    const key = keyOf(address);
    if (seen.has(key)) continue;
    const length = address.ip?.length ?? 0;
    if (
      seen.size === ALERT_ADDRESSES ||
      length > ALERT_ADDRESS_TEXT_CHARS ||
      chars + length > ALERT_ADDRESS_CHARS
    ) {
      partial = true;
      continue;
    }
    seen.set(key, address);
    chars += length;
  }
  return { addresses: [...seen.values()], ...(partial ? { addresses_partial: true as const } : {}) };
}

/** `alert` without its addresses: once judged against the list they are not kept. */
export function withoutAddresses<A extends { addresses?: unknown; addresses_partial?: unknown }>(
  alert: A,
): Omit<A, 'addresses' | 'addresses_partial'> {
  const { addresses: _addresses, addresses_partial: _partial, ...rest } = alert;
  return rest;
}
