import { describe, expect, it } from 'vitest';
import {
  assertTimeZone,
  canonicalTimeZone,
  HourOffsets,
  isTimeZone,
  localToUtc,
  wallTime,
  wallTimeOf,
  zonedWallTimeToUtc,
  zoneOffsetMs,
} from '../../functions/core/zoned-time.ts';

const ms = (iso: string) => Date.parse(iso);

describe('zoned time', () => {
  it('resolves a wall time that happens twice (DST fall-back) to the earlier instant', () => {
    const wall = Date.UTC(2026, 10, 1, 1, 30);
    expect(zonedWallTimeToUtc(wall, 'America/Denver')).toBe(ms('2026-11-01T07:30:00Z'));
  });

  it('skips forward over a wall time that never happened (DST spring-forward)', () => {
    // 02:30 on 8 Mar 2026 never showed in Denver: it moves forward by the gap, to 03:30 MDT.
    expect(zonedWallTimeToUtc(Date.UTC(2026, 2, 8, 2, 30), 'America/Denver')).toBe(
      ms('2026-03-08T09:30:00Z'),
    );
  });

  it('reads the offset of every minute right across transitions that fall inside a UTC hour', () => {
    // St John's springs forward at 05:30 UTC and Lord Howe moves by half an hour at 15:30 UTC: an
    // offset read once per UTC hour must still change at the transition's own minute.
    const cases = [
      { zone: 'America/St_Johns', fromMs: ms('2026-03-08T05:00:00Z'), before: -3.5, after: -2.5 },
      { zone: 'Australia/Lord_Howe', fromMs: ms('2026-10-03T15:00:00Z'), before: 10.5, after: 11 },
    ];
    for (const { zone, fromMs, before, after } of cases) {
      for (let minute = 0; minute < 60; minute++) {
        const t = fromMs + minute * 60_000;
        expect(zoneOffsetMs(t, zone) / 3_600_000, `${zone} +${minute} min`).toBe(
          minute < 30 ? before : after,
        );
      }
      expect(zoneOffsetMs(fromMs + 30 * 60_000 - 1, zone) / 3_600_000).toBe(before);
    }
  });

  it('reads wall times and offsets, half-hour zones included, and round-trips them', () => {
    const instant = ms('2026-07-01T12:00:00.250Z');
    expect(new Date(wallTimeOf(instant, 'Asia/Kolkata')).toISOString()).toBe('2026-07-01T17:30:00.250Z');
    expect(zoneOffsetMs(instant, 'America/New_York')).toBe(-4 * 3_600_000);
    expect(wallTime(instant, 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 7,
      day: 1,
      hour: 14,
      minute: 0,
      second: 0,
    });
    expect(zonedWallTimeToUtc(wallTimeOf(instant, 'Europe/Berlin'), 'Europe/Berlin')).toBe(instant);
    expect(localToUtc(2026, 1, 15, 9 * 60, 'America/New_York')).toBe(ms('2026-01-15T14:00:00Z'));
  });

  it('rejects unknown time zones with a hint', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(/IANA zone name/);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(assertTimeZone('Europe/London')).toBe('Europe/London');
  });

  it('names the spelling to write: the primary IANA name in its own letter case', () => {
    expect(canonicalTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Etc/UTC')).toBe('UTC');
    // Old aliases resolve to the zone they stand for (EST has no daylight saving time).
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalTimeZone('EST')).toBe('America/Panama');
  });

  it('prefers IANA names over the old names ICU still resolves renamed zones to', () => {
    for (const [old, current] of [
      ['Asia/Calcutta', 'Asia/Kolkata'],
      ['Europe/Kiev', 'Europe/Kyiv'],
      ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
      ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ]) {
      expect(canonicalTimeZone(current as string)).toBe(current);
      expect(canonicalTimeZone(old as string)).toBe(current);
      expect(canonicalTimeZone((current as string).toLowerCase())).toBe(current);
    }
  });

  it('answers undefined for anything that is not a zone name', () => {
    for (const zone of ['Mars/Olympus', '+01:00', '', 'Z']) expect(canonicalTimeZone(zone)).toBeUndefined();
  });

  it('never suggests a spelling it would reject: every zone the runtime knows maps to a fixed point', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    expect(zones.length).toBeGreaterThan(300);
    for (const zone of zones) {
      const canonical = canonicalTimeZone(zone);
      expect(canonical, zone).toBeDefined();
      expect(canonicalTimeZone(canonical as string), zone).toBe(canonical);
      // Same clock: the suggested name shows the same offsets as the name it replaces.
      for (const t of [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)]) {
        expect(zoneOffsetMs(t, canonical as string), zone).toBe(zoneOffsetMs(t, zone));
      }
    }
  });
});

describe('the cache of hour offsets', () => {
  it('holds at most its bound over all zones together, and still answers right after starting again', () => {
    const cache = new HourOffsets(50);
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
    const from = Date.UTC(2026, 2, 28);
    for (const zone of zones) {
      for (let hour = 0; hour < 40; hour += 1) {
        const at = from + hour * 3_600_000;
        expect(cache.offsetAt(at, zone)).toBe(wallTimeOf(at, zone) - at);
        expect(cache.size).toBeLessThanOrEqual(50);
      }
    }
    // 160 hours were read: a bound per zone (each zone held 40) would have held them all.
    expect(cache.size).toBeLessThan(50);
    // Paris's switch to summer time, 01:00 UTC on 29 March: the hour holding it is read exactly.
    const switchAt = Date.UTC(2026, 2, 29, 1);
    expect(cache.offsetAt(switchAt - 1, 'Europe/Paris')).toBe(3_600_000);
    expect(cache.offsetAt(switchAt, 'Europe/Paris')).toBe(7_200_000);
  });
});
