import { fixedOffsetAdvice } from '../functions/core/zone-abbreviations.ts';

/**
 * The fix to offer for `zone`, `canonical` being its primary IANA name: for a non-primary
 * spelling, and for a primary name whose meaning is mostly mistaken (`Etc/GMT+5`, UTC-05:00);
 * undefined when `zone` is fine as written.
 */
export function timeZoneAdvice(zone: string, canonical: string): string | undefined {
  const fixed = fixedOffsetAdvice(zone, canonical);
  if (fixed !== undefined || canonical === zone) return fixed;
  return `is "${zone}"; write "${canonical}" (the zone's primary IANA name, spelled exactly as EventBridge Scheduler and Athena expect it)`;
}
