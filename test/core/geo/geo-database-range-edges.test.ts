import { describe, expect, it } from 'vitest';
import { databaseOf, net64, v4 } from '../../support/geo-ranges.ts';

/** Where a source range nested in another ends together with it, or in the same /64 as it. */
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

  it('answers unknown for the /64 after an IPv6 range whose nested range ends in its last /64', () => {
    const db = databaseOf(
      [],
      [
        // 2a02:0:0:4:: up to 2a02:0:0:5::fff, and a range inside it in the same last /64.
        { start: net64(4), end: net64(5) + 0xfffn, value: 1 },
        { start: net64(5), end: net64(5) + 0xffn, value: 2 },
      ],
    );
    expect(db.lookup('2a02:0:0:4::1')?.country).toBe('US');
    expect(db.lookup('2a02:0:0:5::1')?.country).toBe('DE');
    // No range holds an address of 2a02:0:0:6::/64; the outer one ended a /64 before.
    expect(db.lookup('2a02:0:0:6::1')?.country).toBeNull();
  });
});
