/**
 * The query to dig further finds an IPv6 spray's events by a pattern of its /64: every spelling of
 * an address in it (a `::` anywhere, leading zeros or not, either case, an IPv4 tail), and no
 * address of a neighbouring /64. It matched `3442::6:d:0:0:c5f2:7` (in 3442:0:6:d::/64) for
 * 3442:0:0:d::/64: a `::` inside the first four groups shifts the groups after it (review R-SPRAY3).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { keyPattern } from '../../../functions/core/alerts/dig-further.ts';
import { parseIpv6Groups } from '../../../functions/core/geo/ip-address.ts';
import { Prng } from '../../../functions/simulator/index.ts';

const hex = (group: number) => group.toString(16);
const keyOf = (groups: readonly number[]) => `${groups.slice(0, 4).map(hex).join(':')}::/64`;

/** `groups` written as `prng` chooses: a run of zero groups as `::` or not, leading zeros, case, an IPv4 tail. */
function spell(prng: Prng, groups: readonly number[]): string {
  const runs: [number, number][] = [];
  for (let from = 0; from < 8; from++) {
    for (let to = from; to < 8 && groups[to] === 0; to++) runs.push([from, to + 1]);
  }
  const [gapFrom, gapTo] = runs.length && prng.chance(0.8) ? prng.pick(runs) : [8, 8];
  const dotted = gapTo <= 6 && prng.chance(0.25);
  const written = (i: number) => {
    const digits = hex(groups[i] ?? 0).padStart(prng.int(0, 4), '0');
    return prng.chance(0.3) ? digits.toUpperCase() : digits;
  };
  const part = (from: number, to: number) => {
    const parts = [];
    for (let i = from; i < Math.min(to, dotted ? 6 : 8); i++) parts.push(written(i));
    if (dotted && to === 8) {
      const [high, low] = [groups[6] ?? 0, groups[7] ?? 0];
      parts.push([high >> 8, high & 255, low >> 8, low & 255].join('.'));
    }
    return parts.join(':');
  };
  if (gapFrom === 8) return part(0, 8);
  return `${part(0, gapFrom)}::${part(gapTo, 8)}`;
}

/** An address text as a client may send one: bracketed with a port, among hops, padded. */
function wrap(prng: Prng, address: string): string {
  if (prng.chance(0.2)) return `[${address}]:${prng.int(1, 65_535)}`;
  const before = prng.pick(['', '', 'x, ', '198.51.100.1, ', ' ', '\t', 'unknown,']);
  const after = prng.pick(['', '', ', 5.6.7.8', ' ', '\n', '%eth0', '/64', ',']);
  return `${before}${address}${after}`;
}

/** A random group: zero often, as the cases a `::` can shift need. */
const group = (prng: Prng) =>
  prng.chance(0.5) ? 0 : prng.chance(0.5) ? prng.int(1, 15) : prng.int(0, 0xffff);

/** The key's first four groups, one of them changed (zeroed, set, or two swapped); the rest random. */
function near(prng: Prng, key: readonly number[]): number[] {
  const groups = [...key.slice(0, 4), ...Array.from({ length: 4 }, () => group(prng))];
  if (prng.chance(0.5)) return groups;
  const i = prng.int(0, 3);
  const j = prng.int(0, 3);
  const choice = prng.int(0, 2);
  if (choice === 0) groups[i] = 0;
  else if (choice === 1) groups[i] = group(prng);
  else [groups[i], groups[j]] = [groups[j] ?? 0, groups[i] ?? 0];
  return groups;
}

interface Case {
  text: string;
  pattern: string;
  /** Whether the text's address is in the pattern's /64. */
  inside: boolean;
}

function cases(count: number): Case[] {
  const prng = new Prng('dig-further-v6-pattern');
  const out: Case[] = [];
  while (out.length < count) {
    const key = [prng.int(0x2000, 0x3fff), group(prng), group(prng), group(prng)];
    const pattern = keyPattern(keyOf(key)) ?? '';
    const groups = near(prng, key);
    const address = spell(prng, groups);
    // The spelling is an address, of the groups it was written from.
    expect(parseIpv6Groups(address), address).toEqual(groups);
    out.push({ text: wrap(prng, address), pattern, inside: keyOf(groups) === keyOf(key) });
  }
  return out;
}

describe("an IPv6 spray's pattern in the query to dig further", () => {
  it('matches no neighbouring /64 with a `::` inside its first four groups', () => {
    const pattern = new RegExp(keyPattern('3442:0:0:d::/64') ?? '');
    // Neighbours: 3442:0:6:d, 3442:0:d:0 and 3442:0:d:5 (an IPv4 tail is two groups).
    for (const text of ['3442::6:d:0:0:c5f2:7', '3442::d:0:0:c5f2:7:8', '3442::d:5:6:7:1.2.3.4']) {
      expect(pattern.test(text), text).toBe(false);
    }
    for (const text of [
      '3442::d:0:0:c5f2:7',
      '[3442:0::D:1:2:3:4]:443',
      'x, 3442:0:0:d::',
      '3442::d:5:6:1.2.3.4',
    ]) {
      expect(pattern.test(text), text).toBe(true);
    }
  });

  it('matches every spelling inside its /64 and none outside, alike in JavaScript and DuckDB', async () => {
    const all = cases(4_000);
    // Both sides drawn often enough to mean something.
    expect(all.filter((c) => c.inside).length).toBeGreaterThan(1_000);
    expect(all.filter((c) => !c.inside).length).toBeGreaterThan(1_000);
    const js = all.map((c) => new RegExp(c.pattern).test(c.text));
    expect(all.filter((c, i) => js[i] !== c.inside)).toEqual([]);

    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      await connection.run('CREATE TABLE cases (i INTEGER, text VARCHAR, pattern VARCHAR)');
      const appender = await connection.createAppender('cases');
      all.forEach((c, i) => {
        appender.appendInteger(i);
        appender.appendVarchar(c.text);
        appender.appendVarchar(c.pattern);
        appender.endRow();
      });
      appender.closeSync();
      const reader = await connection.runAndReadAll(
        'SELECT regexp_matches(text, pattern) AS matched FROM cases ORDER BY i',
      );
      expect(reader.getRowObjects().map((row) => row.matched)).toEqual(js);
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});
