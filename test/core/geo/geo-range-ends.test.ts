import { describe, expect, it } from 'vitest';
import { databaseOf, net64, v4 } from '../../support/geo-ranges.ts';

describe('geo database range ends', () => {
  it('places the last address of every IPv4 range, and not the one after it', () => {
    const db = databaseOf(
      [
        { start: v4('8.8.8.0'), end: v4('8.8.8.255'), value: 1 },
        { start: v4('8.8.9.0'), end: v4('8.8.9.255'), value: 2 },
        { start: v4('80.128.0.0'), end: v4('80.191.255.255'), value: 3 },
      ],
      [],
    );
    expect(db.lookup('8.8.8.255')?.country).toBe('US');
    expect(db.lookup('8.8.9.255')?.country).toBe('DE');
    expect(db.lookup('80.191.255.255')?.country).toBe('GB');
    expect(db.lookup('80.192.0.0')?.country).toBeNull();
  });

  it('places the last /64 of an IPv6 range that ends inside it', () => {
    // 2a02:0:0:0:: up to the middle of 2a02:0:0:2::/64: that /64 is the range's too.
    const db = databaseOf([], [{ start: net64(0), end: net64(2) + (1n << 63n), value: 2 }]);
    expect(db.lookup('2a02:0:0:1::1')?.country).toBe('DE');
    expect(db.lookup('2a02:0:0:2::1')?.country).toBe('DE');
    expect(db.lookup('2a02:0:0:3::1')?.country).toBeNull();
  });

  it('keeps its keys in order when two IPv6 ranges share one /64: the later one places it', () => {
    const db = databaseOf(
      [],
      [
        { start: net64(3), end: net64(4) - 1n, value: 2 },
        // Two ranges smaller than a /64 inside 2a02:0:0:5::/64, from two countries.
        { start: net64(5), end: net64(5) + (1n << 32n) - 1n, value: 1 },
        { start: net64(5) + (1n << 40n), end: net64(5) + (1n << 41n), value: 3 },
        { start: net64(7), end: net64(8) - 1n, value: 2 },
      ],
    );
    expect(db.lookup('2a02:0:0:3::1')?.country).toBe('DE');
    expect(db.lookup('2a02:0:0:4::1')?.country).toBeNull();
    expect(db.lookup('2a02:0:0:5::1')?.country).toBe('GB');
    expect(db.lookup('2a02:0:0:6::1')?.country).toBeNull();
    expect(db.lookup('2a02:0:0:7::1')?.country).toBe('DE');
    expect(db.lookup('2a02:0:0:8::1')?.country).toBeNull();
  });
});
