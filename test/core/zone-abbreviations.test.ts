import { describe, expect, it } from 'vitest';
import { FIXED_OFFSET_CITIES, fixedOffsetAdvice } from '../../functions/core/zone-abbreviations.ts';
import { canonicalTimeZone, zoneOffsetMs } from '../../functions/core/zoned-time.ts';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

describe('fixed-offset advice', () => {
  it('offers city zones that keep their offset all year and are written as the settings take them', () => {
    // tzdata can give a place daylight saving or move it: the advice must then change with it.
    for (const [east, city] of Object.entries(FIXED_OFFSET_CITIES)) {
      expect(canonicalTimeZone(city), city).toBe(city);
      const offsets = new Set<number>();
      for (let ms = Date.UTC(2020, 0, 1); ms < Date.UTC(2031, 0, 1); ms += WEEK_MS) {
        offsets.add(zoneOffsetMs(ms, city) / HOUR_MS);
      }
      expect([...offsets], city).toEqual([Number(east)]);
    }
  });

  it('advises on every Etc/GMT zone with an hour a place keeps, each naming the offset it really is', () => {
    for (let east = -11; east <= 14; east++) {
      if (east === 0) continue;
      const zone = `Etc/GMT${east < 0 ? '+' : '-'}${Math.abs(east)}`;
      expect(canonicalTimeZone(zone)).toBe(zone);
      const offset = `UTC${east < 0 ? '-' : '+'}${String(Math.abs(east)).padStart(2, '0')}:00`;
      expect(fixedOffsetAdvice(zone, zone)?.startsWith(`is "${zone}", a fixed ${offset}: `), zone).toBe(true);
    }
    // Etc/GMT+12 (UTC-12:00) is the only way to write an offset no place keeps all year.
    for (const zone of ['Etc/UTC', 'Etc/GMT', 'UTC', 'America/New_York', 'EST5EDT', 'Etc/GMT+12']) {
      expect(fixedOffsetAdvice(zone, canonicalTimeZone(zone) as string)).toBeUndefined();
    }
  });
});
