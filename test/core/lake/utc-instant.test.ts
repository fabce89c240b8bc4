import { expect, it } from 'vitest';
import { utcInstant } from '../../../functions/core/lake/utc-instant.ts';

// Imported by the alerts' agreement with SQL too, which the Node 24 pass leaves out: its own test.
it('gives a lake timestamp its UTC zone, and leaves any other text and null as they are', () => {
  expect(utcInstant('2026-11-30 14:03:00.000')).toBe('2026-11-30T14:03:00.000Z');
  expect(utcInstant('2026-11-30 14:03:00')).toBe('2026-11-30T14:03:00Z');
  expect(Date.parse(utcInstant('2026-11-30 14:03:00.000'))).toBe(Date.UTC(2026, 10, 30, 14, 3));
  for (const text of ['2026-11-30T14:03:00.000Z', '2026-11-30', 'x 2026-11-30 14:03:00', '']) {
    expect(utcInstant(text)).toBe(text);
  }
  expect(utcInstant(null)).toBeNull();
});
