import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { geoDatabaseCachePath } from '../../functions/adapters/geo-database-build.ts';
import { openGeoFile } from '../../functions/adapters/geo-file.ts';
import { GeoDatabase, type GeoFile } from '../../functions/core/geo/geo-database.ts';
import { Prng } from '../../functions/simulator/prng.ts';

/**
 * The shipped database read from its file a page at a time (what the CLI and the Lambdas do)
 * against the same bytes held in memory. Review R-GEO L2: the pages kept were dropped oldest-read
 * first, so the pages at the top of every binary search were read again after each 512 new pages.
 */
const path = geoDatabaseCachePath();
const file = openGeoFile(path);
afterAll(() => file.close());
const inMemory = GeoDatabase.decode(readFileSync(path));

/** `n` random IPv4 addresses (private ones among them: no answer, from both) and IPv6 in 2000::/3. */
function addresses(n: number, seed: number): string[] {
  const prng = new Prng(seed);
  const next = () => prng.next();
  const byte = () => Math.floor(next() * 256);
  const group = () => Math.floor(next() * 0x10000).toString(16);
  return Array.from({ length: n }, (_, i) =>
    i % 4 === 3
      ? `${(0x2000 + Math.floor(next() * 0x2000)).toString(16)}:${group()}:${group()}:${group()}::${group()}`
      : `${byte()}.${byte()}.${byte()}.${byte()}`,
  );
}

/** The file, counting the reads at each offset. */
function counted(inner: GeoFile): GeoFile & { reads: number[] } {
  const reads: number[] = [];
  return {
    size: inner.size,
    reads,
    read: (offset, length) => {
      reads.push(offset);
      return inner.read(offset, length);
    },
  };
}

/** The addresses `paged` answers otherwise than the database held in memory, with both answers. */
const differences = (paged: GeoDatabase, list: readonly string[]) =>
  list.flatMap((address) => {
    const [got, want] = [paged.lookup(address), inMemory.lookup(address)];
    return JSON.stringify(got) === JSON.stringify(want) ? [] : [{ address, got, want }];
  });

describe('the geo database read from its file a page at a time', () => {
  // 10,000 lookups read ~32,000 pages from the file, ~3,500 of them distinct: past the 512 kept,
  // pages are dropped and read again all along (40,000 took ~2.5 CPU-s more, proving no more).
  it('gives the in-memory answer for 10,000 random addresses', () => {
    const list = addresses(10_000, 1);
    expect(list.filter((a) => inMemory.lookup(a)?.country).length).toBeGreaterThan(6_000);
    expect(differences(GeoDatabase.open(file), list)).toEqual([]);
  });

  it('gives the same answers from bytes not aligned to a word (read by copy)', () => {
    const unaligned: GeoFile = {
      size: file.size,
      read: (offset, length) => {
        const bytes = file.read(offset, length);
        const copy = new Uint8Array(bytes.length + 1);
        copy.set(bytes, 1);
        return copy.subarray(1);
      },
    };
    expect(differences(GeoDatabase.open(unaligned), addresses(4_000, 2))).toEqual([]);
  });

  it('keeps the pages every lookup uses: the top of the first search is read once in 5,000 lookups', () => {
    const reads = counted(file);
    const paged = GeoDatabase.open(reads);
    reads.reads.length = 0;
    const v4 = addresses(6_700, 3).filter((a) => !a.includes(':'));
    for (const address of v4) paged.lookup(address);
    // The first page a lookup reads holds the middle key of the IPv4 country table: every IPv4
    // lookup reads it. Far more than 512 pages were read in between (thousands of table pages).
    const [top] = reads.reads;
    expect(new Set(reads.reads).size).toBeGreaterThan(1_000);
    expect(reads.reads.filter((offset) => offset === top)).toHaveLength(1);
  });
});
