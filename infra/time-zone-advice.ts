import { fixedOffsetAdvice } from '../functions/core/zone-abbreviations.ts';

/** The fix to offer when `zone` is a valid but non-primary spelling of `canonical`. */
export function timeZoneAdvice(zone: string, canonical: string): string {
  return (
    fixedOffsetAdvice(zone, canonical) ??
    `is "${zone}"; write "${canonical}" (the zone's primary IANA name, spelled exactly as EventBridge Scheduler and Athena expect it)`
  );
}
