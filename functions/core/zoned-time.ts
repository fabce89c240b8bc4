/**
 * Wall-clock time in IANA time zones, from the platform's `Intl` data (no dependency). One place for
 * every zone conversion: Domo's zone-less time strings, the report's ISO weeks, Athena's zoned
 * timestamps and the simulator's working hours.
 *
 * A "wall time" is the clock reading in a zone encoded as if it were a UTC instant, so ordinary
 * `Date.UTC` / `getUTC*` arithmetic works on it.
 */

import { DAY_MS, HOUR_MS, MINUTE_MS } from './time-units.ts';

interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

const isUtc = (zone: string): boolean => zone === 'UTC' || zone === 'Etc/UTC';

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Zones whose IANA name changed after CLDR fixed its identifiers: ICU (and so V8's `Intl` on the
 * Node versions this project supports) still answers with the old name on the left, which IANA
 * keeps only as a backward link (some systems ship those links in an optional package).
 */
const ICU_LEGACY_IDS: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * The spelling to write for `zone`, or undefined when this runtime does not know it as an IANA
 * zone: the primary IANA name in the database's own letter case (`europe/paris` → `Europe/Paris`,
 * `US/Eastern` → `America/New_York`, `Asia/Calcutta` → `Asia/Kolkata`, `Etc/UTC` → `UTC`). A zone
 * equal to its result is safe to hand to services that match names exactly (EventBridge Scheduler,
 * Athena) as well as to `Intl`. It is what `Intl` resolves the zone to, except for the renamed
 * zones ICU still answers with their old names. A runtime whose `Intl` keeps link names as given
 * (newer ECMA-402) returns a link such as `US/Eastern` unchanged, only case-corrected.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  // Newer runtimes also take offsets such as "+01:00", which are not IANA names.
  if (!/^[A-Za-z]/.test(zone)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return ICU_LEGACY_IDS[resolved] ?? resolved;
}

/** Returns `zone`, or throws a RangeError that names it and shows valid examples. */
export function assertTimeZone(zone: string): string {
  if (!isTimeZone(zone)) {
    throw new RangeError(
      `time zone "${zone}" is not a known IANA zone name (for example "UTC" or "America/Denver")`,
    );
  }
  return zone;
}

/** The wall time `utcMs` shows in `zone` (milliseconds kept). */
export function wallTimeOf(utcMs: number, zone: string): number {
  if (isUtc(zone)) return utcMs;
  return utcMs + offsets.offsetAt(utcMs, zone);
}

/** The zone's offset at `utcMs` read from `Intl` (whole seconds, as every IANA offset is). */
function intlOffsetMs(utcMs: number, zone: string): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const wall = Date.UTC(year, month - 1, day, hour % 24, minute, second, ((utcMs % 1000) + 1000) % 1000);
  return wall - utcMs;
}

/**
 * `intlOffsetMs` read once per UTC hour: formatting is the cost of every conversion (the simulator
 * and the oracles make hundreds of thousands). An hour whose first and last millisecond show the same
 * offset holds no transition, since no zone changes its offset twice within an hour. At most
 * `maxHours` are held across all zones, then the whole cache starts again: `verify` weighs a pair of
 * hours against each of the ~420 zones, and a bound per zone let a year of such pairs hold ~190 MB
 * for the life of the process (review R-SHAPE S11). Conversions go forward in time, so what is
 * dropped is rarely read again.
 */
export class HourOffsets {
  /** Offsets of whole UTC hours without a transition, per zone; NaN marks an hour with one. */
  private readonly byZone = new Map<string, Map<number, number>>();
  private held = 0;

  constructor(private readonly maxHours: number) {}

  /** Hours held, over every zone. */
  get size(): number {
    return this.held;
  }

  offsetAt(utcMs: number, zone: string): number {
    const hour = Math.floor(utcMs / HOUR_MS);
    let offset = this.byZone.get(zone)?.get(hour);
    if (offset === undefined) {
      const first = intlOffsetMs(hour * HOUR_MS, zone);
      offset = first === intlOffsetMs(hour * HOUR_MS + HOUR_MS - 1, zone) ? first : Number.NaN;
      this.hoursOf(zone).set(hour, offset);
      this.held += 1;
    }
    return Number.isNaN(offset) ? intlOffsetMs(utcMs, zone) : offset;
  }

  /** The zone's map, with room for one more hour. */
  private hoursOf(zone: string): Map<number, number> {
    if (this.held >= this.maxHours) {
      this.byZone.clear();
      this.held = 0;
    }
    let hours = this.byZone.get(zone);
    if (!hours) {
      hours = new Map();
      this.byZone.set(zone, hours);
    }
    return hours;
  }
}

const offsets = new HourOffsets(200_000);

/** How far `zone` is ahead of UTC at instant `utcMs`, in ms. */
export const zoneOffsetMs = (utcMs: number, zone: string): number => wallTimeOf(utcMs, zone) - utcMs;

/** `zone`'s offset from UTC at `utcMs`, as `+05:30` or `-04:00` (the alert mails and the report). */
export function utcOffsetText(utcMs: number, zone: string): string {
  const minutes = Math.round(zoneOffsetMs(utcMs, zone) / MINUTE_MS);
  const abs = Math.abs(minutes);
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** The wall-clock reading in `zone` at `utcMs`, field by field (seconds precision). */
export function wallTime(utcMs: number, zone: string): WallTime {
  const d = new Date(wallTimeOf(utcMs, zone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * The instant at which clocks in `zone` showed `wallMs`. A reading in a DST gap (one that never
 * showed) moves forward by the gap (02:30 becomes 03:30), and in an overlap (a reading that showed
 * twice) the earlier instant wins: the same choices as Temporal's "compatible" disambiguation.
 */
export function zonedWallTimeToUtc(wallMs: number, zone: string): number {
  const [first] = zonedWallTimeCandidates(wallMs, zone);
  return first ?? wallMs;
}

/**
 * Every instant at which clocks in `zone` showed `wallMs`, earliest first: one normally, two in a
 * DST overlap (the repeated hour), and for a reading in a gap the single instant it moves forward to.
 */
export function zonedWallTimeCandidates(wallMs: number, zone: string): number[] {
  if (isUtc(zone)) return [wallMs];
  const offsets = new Set([zoneOffsetMs(wallMs - DAY_MS, zone), zoneOffsetMs(wallMs + DAY_MS, zone)]);
  offsets.add(zoneOffsetMs(wallMs - zoneOffsetMs(wallMs, zone), zone));
  const exact = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((t) => wallTimeOf(t, zone) === wallMs)
    .sort((a, b) => a - b);
  if (exact.length > 0) return [...new Set(exact)];
  // A gap: read the wall time with the offset from before the change, which lands after the gap.
  return [wallMs - Math.min(...offsets)];
}

/** The instant the clock in `zone` reads `minuteOfDay` minutes after midnight of a local date. */
export const localToUtc = (
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  zone: string,
): number => zonedWallTimeToUtc(Date.UTC(year, month - 1, day, 0, minuteOfDay), zone);
