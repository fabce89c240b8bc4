/**
 * Legacy zone abbreviations that name a fixed offset, though people who write them mostly mean the
 * region's local time with daylight saving: `EST` is UTC-05:00 all year (IANA's primary name for
 * that is America/Panama), while "Eastern time" is America/New_York. Both are offered.
 */
const FIXED_OFFSET_ABBREVIATIONS: Record<string, { local: string; region: string; offset: string }> = {
  EST: { local: 'America/New_York', region: 'US Eastern time', offset: 'UTC-05:00' },
  MST: { local: 'America/Denver', region: 'US Mountain time', offset: 'UTC-07:00' },
};

/**
 * The fix to offer when `zone` (any case) is one of those abbreviations, `canonical` being its
 * primary IANA name; undefined for any other zone.
 */
export function fixedOffsetAdvice(zone: string, canonical: string): string | undefined {
  const abbreviation = FIXED_OFFSET_ABBREVIATIONS[zone.toUpperCase()];
  if (!abbreviation) return undefined;
  return `is "${zone}", a fixed ${abbreviation.offset} with no daylight saving: for ${abbreviation.region} (with daylight saving) write "${abbreviation.local}"; for ${abbreviation.offset} all year write "${canonical}"`;
}
