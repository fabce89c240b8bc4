import { describe, expect, it } from 'vitest';
import { databaseOf, v4 } from '../../support/geo-ranges.ts';

/** Where a source range nested in another ends together with it. */
describe('geo database: nested ranges ending together', () => {
  it('answers unknown after an IPv4 range and the one nested in it end at the same address', () => {
    const db = databaseOf(
      [
        { start: v4('8.8.8.0'), end: v4('8.8.8.255'), value: 1 },
        { start: v4('8.8.8.128'), end: v4('8.8.8.255'), value: 2 },
      ],
      [],
    );
    expect(db.lookup('8.8.8.127')?.country).toBe('US');
    expect(db.lookup('8.8.8.255')?.country).toBe('DE');
    expect(db.lookup('8.8.9.0')?.country).toBeNull();
  });
});
