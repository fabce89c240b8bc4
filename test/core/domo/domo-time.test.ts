import { describe, expect, it } from 'vitest';
import { parseDomoTime } from '../../../functions/core/domo/domo-time.ts';

const ms = (iso: string) => Date.parse(iso);

describe('parseDomoTime', () => {
  it('reads epoch milliseconds as a number or a digit string', () => {
    expect(parseDomoTime(1654205894927)).toEqual({ ok: true, ms: 1654205894927 });
    expect(parseDomoTime('1654205894927')).toEqual({ ok: true, ms: 1654205894927 });
  });

  it('reads ISO 8601 with Z or an offset, keeping milliseconds', () => {
    expect(parseDomoTime('2026-10-01T10:00:00.123Z')).toEqual({
      ok: true,
      ms: ms('2026-10-01T10:00:00.123Z'),
    });
    expect(parseDomoTime('2026-10-01T12:00:00+02:00')).toEqual({ ok: true, ms: ms('2026-10-01T10:00:00Z') });
    expect(parseDomoTime('2026-10-01T05:30:00-0430')).toEqual({ ok: true, ms: ms('2026-10-01T10:00:00Z') });
    expect(parseDomoTime('2026-10-01T10:00:00.123456Z')).toEqual({
      ok: true,
      ms: ms('2026-10-01T10:00:00.123Z'),
    });
  });

  it("reads Domo's documented 12-hour strings in UTC by default, marked as read in a zone it assumed", () => {
    expect(parseDomoTime('2017-12-13 10:57:35 PM')).toEqual({
      ok: true,
      ms: ms('2017-12-13T22:57:35Z'),
      zoneless: true,
    });
    expect(parseDomoTime('2017-12-13 12:05:00 AM')).toEqual({
      ok: true,
      ms: ms('2017-12-13T00:05:00Z'),
      zoneless: true,
    });
    expect(parseDomoTime('2017-12-13 12:05:00 PM')).toEqual({
      ok: true,
      ms: ms('2017-12-13T12:05:00Z'),
      zoneless: true,
    });
  });

  it('reads 12-hour strings in a configured zone, across daylight saving', () => {
    expect(parseDomoTime('2026-07-01 09:00:00 AM', 'America/Denver')).toEqual({
      ok: true,
      ms: ms('2026-07-01T15:00:00Z'),
      zoneless: true,
    });
    expect(parseDomoTime('2026-01-15 09:00:00 AM', 'America/Denver')).toEqual({
      ok: true,
      ms: ms('2026-01-15T16:00:00Z'),
      zoneless: true,
    });
    expect(parseDomoTime('2026-03-29 02:30:00 PM', 'Europe/Paris')).toEqual({
      ok: true,
      ms: ms('2026-03-29T12:30:00Z'),
      zoneless: true,
    });
  });

  it('offers both readings of a 12-hour string from the repeated hour when clocks go back', () => {
    expect(parseDomoTime('2026-11-01 01:30:00 AM', 'America/New_York')).toEqual({
      ok: true,
      ms: ms('2026-11-01T05:30:00Z'),
      laterMs: ms('2026-11-01T06:30:00Z'),
      zoneless: true,
    });
    expect(parseDomoTime('2026-11-01 03:30:00 AM', 'America/New_York')).toEqual({
      ok: true,
      ms: ms('2026-11-01T08:30:00Z'),
      zoneless: true,
    });
  });

  it('gives a reason for every value it cannot read', () => {
    const cases: [unknown, RegExp][] = [
      [null, /time is null/],
      [true, /time is boolean/],
      ['', /empty string/],
      ['yesterday', /matches no known format/],
      ['2026-10-01T10:00:00', /without a zone/],
      ['2026-02-30 10:00:00 AM', /not a valid calendar time/],
      ['2026-02-03 13:00:00 PM', /hour 13 on a 12-hour clock/],
      [1654205894, /outside 2000-2099/],
      [1.5, /not whole epoch ms/],
    ];
    for (const [value, reason] of cases) {
      const parsed = parseDomoTime(value);
      expect(parsed.ok, String(value)).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    }
  });

  it('quarantines an offset no clock shows, naming it, and keeps the far but real ones', () => {
    for (const [value, zone] of [
      ['2026-10-01T00:00:00+99:00', '+99:00'],
      ['2026-10-01T00:00:00+05:75', '+05:75'],
      ['2026-10-01T00:00:00-2400', '-2400'],
      ['2026-10-01T00:00:00+24', '+24'],
    ]) {
      expect(parseDomoTime(value)).toEqual({
        ok: false,
        reason: `time "${value}" has the UTC offset ${zone}: an offset needs hours 00-23 and minutes 00-59`,
      });
    }
    expect(parseDomoTime('2026-10-01T23:59:00+23:59')).toEqual({ ok: true, ms: ms('2026-10-01T00:00:00Z') });
    expect(parseDomoTime('2026-10-01T00:00:00-23:59')).toEqual({ ok: true, ms: ms('2026-10-01T23:59:00Z') });
    expect(parseDomoTime('2026-10-01T14:00:00+14:00')).toEqual({ ok: true, ms: ms('2026-10-01T00:00:00Z') });
  });

  it('does not call a zoned time it cannot read zone-less', () => {
    for (const value of [
      '2026-10-01T10:00:00.9999999999Z',
      '2026-10-01T10:00:00.1234567890+02:00',
      '2026-10-01T10:00.5z',
    ]) {
      expect(parseDomoTime(value)).toEqual({
        ok: false,
        reason: `time "${value}" has a zone but is not an ISO 8601 form read here (HH:MM, HH:MM:SS or HH:MM:SS with 1-9 fraction digits, then Z or an offset such as +02:00)`,
      });
    }
    // Without a zone, and with letters only where a zone could be, the reason stays.
    for (const value of ['2026-10-01T10:00:00.1234567890', '2026-10-01T10:00:00 xyz']) {
      const parsed = parseDomoTime(value);
      expect(parsed.ok === false && parsed.reason).toMatch(/is ISO 8601 without a zone/);
    }
  });

  it('quotes at most 60 characters of a zone-less time, however long the text', () => {
    const parsed = parseDomoTime(`2026-10-01T10:00:00${'x'.repeat(10_000)}`);
    expect(parsed).toEqual({
      ok: false,
      reason: `time "2026-10-01T10:00:00${'x'.repeat(38)}..." is ISO 8601 without a zone; the instant it means is ambiguous`,
    });
  });
});
