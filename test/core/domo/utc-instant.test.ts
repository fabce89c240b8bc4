import { describe, expect, it } from 'vitest';
import { parseUtcInstant } from '../../../functions/core/domo/utc-instant.ts';

describe('parseUtcInstant', () => {
  it('reads a lower-case t and z as RFC 3339 allows', () => {
    const ms = Date.parse('2026-10-01T05:30:00Z');
    expect(parseUtcInstant('2026-10-01t05:30:00z')).toBe(ms);
    expect(parseUtcInstant('2026-10-01t05:30:00Z')).toBe(ms);
    expect(parseUtcInstant('2026-10-01T07:30:00+02:00')).toBe(ms);
  });

  it('refuses years outside 2000-2099 and dates that do not exist', () => {
    for (const value of ['1999-12-31T00:00:00Z', '2100-01-01', '2026-11-31T00:00:00Z', '2026-02-29']) {
      expect(parseUtcInstant(value)).toBeUndefined();
    }
    expect(parseUtcInstant('2099-12-31T23:59:59z')).toBe(Date.parse('2099-12-31T23:59:59Z'));
  });

  it('refuses offsets past 23 hours or 59 minutes, which would move the time by days unseen', () => {
    // +99:00 was read as 2026-09-26T21:00Z, +05:75 as 2026-09-30T17:45Z.
    for (const value of [
      '2026-10-01T00:00:00+99:00',
      '2026-10-01T00:00:00+05:75',
      '2026-10-01T00:00:00-2400',
    ]) {
      expect(parseUtcInstant(value)).toBeUndefined();
    }
    expect(parseUtcInstant('2026-10-01T00:00:00-23:59')).toBe(Date.parse('2026-10-01T23:59:00Z'));
  });
});
