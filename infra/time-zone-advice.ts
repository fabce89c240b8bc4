import { fixedOffsetAdvice } from '../functions/core/zone-abbreviations.ts';

/**
 * Names a British user writes for UK time that IANA reads otherwise: GMT is UTC all year (no summer
 * time), and BST is Bangladesh Standard Time (Asia/Dhaka), not British Summer Time.
 */
const UK_TIME = '; for UK time with summer time, write "Europe/London"';
const UK_MEANT: Readonly<Record<string, string>> = {
  gmt: UK_TIME,
  greenwich: UK_TIME,
  bst: '; if British Summer Time was meant, write "Europe/London" (it is UK time with summer time), as "BST" names Bangladesh Standard Time',
};

/**
 * The fix to offer for `zone`, `canonical` being its primary IANA name: for a non-primary
 * spelling, and for a primary name whose meaning is mostly mistaken (`Etc/GMT+5`, UTC-05:00);
 * undefined when `zone` is fine as written.
 */
export function timeZoneAdvice(zone: string, canonical: string): string | undefined {
  const fixed = fixedOffsetAdvice(zone, canonical);
  if (fixed !== undefined || canonical === zone) return fixed;
  // Each spelling of GMT alike: GMT0, Etc/GMT+0, Etc/Greenwich (review R-CONFIG2 L10).
  const uk =
    UK_MEANT[
      zone
        .toLowerCase()
        .replace(/^etc\//, '')
        .replace(/[+-]?0$/, '')
    ] ?? '';
  return `is "${zone}"; write "${canonical}" (the zone's primary IANA name, spelled exactly as EventBridge Scheduler and Athena expect it)${uk}`;
}
