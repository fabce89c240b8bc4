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
 * A city zone that has kept each whole-hour offset all year since 2020 with no daylight saving, by
 * hours east of UTC: what to write for that offset instead of an `Etc/GMT` name. No place keeps
 * UTC-12:00 (Etc/GMT+12 has no city).
 */
export const FIXED_OFFSET_CITIES: Readonly<Record<number, string>> = {
  [-11]: 'Pacific/Pago_Pago',
  [-10]: 'Pacific/Honolulu',
  [-9]: 'Pacific/Gambier',
  [-8]: 'Pacific/Pitcairn',
  [-7]: 'America/Phoenix',
  [-6]: 'America/Guatemala',
  [-5]: 'America/Panama',
  [-4]: 'America/Puerto_Rico',
  [-3]: 'America/Sao_Paulo',
  [-2]: 'America/Noronha',
  [-1]: 'Atlantic/Cape_Verde',
  1: 'Africa/Lagos',
  2: 'Africa/Johannesburg',
  3: 'Asia/Riyadh',
  4: 'Asia/Dubai',
  5: 'Asia/Tashkent',
  6: 'Asia/Dhaka',
  7: 'Asia/Bangkok',
  8: 'Asia/Singapore',
  9: 'Asia/Tokyo',
  10: 'Australia/Brisbane',
  11: 'Pacific/Noumea',
  12: 'Pacific/Tarawa',
  13: 'Pacific/Fakaofo',
  14: 'Pacific/Kiritimati',
};

const utcOffset = (hoursEast: number): string =>
  `UTC${hoursEast < 0 ? '-' : '+'}${String(Math.abs(hoursEast)).padStart(2, '0')}:00`;

/**
 * The advice for `Etc/GMT+5` and its kind: POSIX signs these names west-positive, so Etc/GMT+5 is
 * UTC-05:00, and whoever writes it mostly means UTC+05:00, or a place. The offset it names, the
 * one likely meant and a place's own zone are offered, the first two as city zones when one exists.
 * An offset no place keeps all year is taken as it is written.
 */
function etcGmtAdvice(zone: string, canonical: string): string | undefined {
  const match = /^Etc\/GMT([+-])(\d{1,2})$/.exec(canonical);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const east = match[1] === '-' ? hours : -hours;
  const named = FIXED_OFFSET_CITIES[east];
  // No place keeps UTC-12:00 ("anywhere on Earth"), so Etc/GMT+12 is the only way to write it: taken.
  if (!named) return undefined;
  const meant = FIXED_OFFSET_CITIES[-east];
  const fixed = `; for ${utcOffset(east)} all year write "${named}"`;
  const inverse = meant ? `; if ${utcOffset(-east)} was meant, "${meant}"` : '';
  const direction = east < 0 ? 'behind' : 'ahead of';
  return `is "${zone}", a fixed ${utcOffset(east)}: POSIX inverts the sign, so it is ${hours} hour${hours === 1 ? '' : 's'} ${direction} UTC; for a place write its city zone, which keeps the place's daylight saving${fixed}${inverse}`;
}

/**
 * The fix to offer when `zone` (any case) is one of those abbreviations or an `Etc/GMT±N` zone,
 * `canonical` being its primary IANA name; undefined for any other zone (Etc/GMT and Etc/UTC,
 * which are UTC, among them).
 */
export function fixedOffsetAdvice(zone: string, canonical: string): string | undefined {
  const abbreviation = FIXED_OFFSET_ABBREVIATIONS[zone.toUpperCase()];
  if (!abbreviation) return etcGmtAdvice(zone, canonical);
  return `is "${zone}", a fixed ${abbreviation.offset} with no daylight saving: for ${abbreviation.region} (with daylight saving) write "${abbreviation.local}"; for ${abbreviation.offset} all year write "${canonical}"`;
}
