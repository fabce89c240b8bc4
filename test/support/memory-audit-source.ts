import type { AuditPage, AuditQuery, AuditSource } from '../../functions/core/domo/audit-source.ts';
import { Prng, type Seed } from '../../functions/simulator/prng.ts';

export interface MemoryEntry {
  timeMs: number;
  entry: Record<string, unknown> | unknown;
  /** The entry's JSON text as Domo would serve it; default `JSON.stringify(entry)`. */
  text?: string;
}

/**
 * An in-memory Domo: newest first, inclusive bounds, stable ties unless {@link shuffleTies}. `fail` lets a test make chosen
 * requests throw, as the real client does when Domo stays down or refuses the configuration.
 */
export class MemoryAuditSource implements AuditSource {
  readonly queries: AuditQuery[] = [];
  fail?: (query: AuditQuery) => Error | undefined;
  /** The entries newest first (ties in insertion order), sorted again when their count changes. */
  private sorted: { length: number; rows: MemoryEntry[] } = { length: -1, rows: [] };
  private tieOrder?: Prng;

  constructor(readonly entries: MemoryEntry[] = []) {}

  add(...entries: MemoryEntry[]): void {
    this.entries.push(...entries);
  }

  /**
   * From now on, serves entries of one time in a new order on each request, drawn from `seed`: as
   * an SQL engine may serve the ties of its ORDER BY between requests of other offsets.
   */
  shuffleTies(seed: Seed = 0): this {
    this.tieOrder = new Prng(seed).fork('tie-order');
    return this;
  }

  async fetchPage(query: AuditQuery) {
    this.queries.push(query);
    const error = this.fail?.(query);
    if (error) throw error;
    // Sorting and filtering every entry for every page made the large fixtures quadratic (the
    // known lake asks ~1,000 pages of ~9,000 entries); tests only add or remove entries.
    const rows = this.newestFirst();
    const first = firstWhere(rows, (ms) => ms <= query.end);
    const from = first + query.offset;
    const end = firstWhere(rows, (ms) => ms < query.start);
    const to = Math.min(from + query.limit, end);
    const page =
      this.tieOrder && from < to
        ? shuffledSlice(rows, { first, from, to, end }, this.tieOrder)
        : rows.slice(from, to);
    return {
      entries: page.map((e) => e.entry),
      entryTexts: page.map((e) => e.text ?? JSON.stringify(e.entry) ?? 'null'),
      requests: 1,
    } satisfies AuditPage;
  }

  private newestFirst(): MemoryEntry[] {
    if (this.sorted.length !== this.entries.length) {
      const rows = this.entries.map((e, i) => ({ e, i }));
      rows.sort((a, b) => b.e.timeMs - a.e.timeMs || a.i - b.i);
      this.sorted = { length: this.entries.length, rows: rows.map(({ e }) => e) };
    }
    return this.sorted.rows;
  }
}

/**
 * `rows.slice(from, to)` with the entries of each time in a new order: the entries of the times at
 * either edge of the slice (within the range `first`..`end`) are shuffled together with it, so an
 * entry of such a time may come from outside the slice or leave it.
 */
function shuffledSlice(
  rows: readonly MemoryEntry[],
  { first, from, to, end }: { first: number; from: number; to: number; end: number },
  rng: Prng,
): MemoryEntry[] {
  let lo = from;
  while (lo > first && (rows[lo - 1] as MemoryEntry).timeMs === (rows[from] as MemoryEntry).timeMs) lo--;
  let hi = to;
  while (hi < end && (rows[hi] as MemoryEntry).timeMs === (rows[to - 1] as MemoryEntry).timeMs) hi++;
  const keyed = rows.slice(lo, hi).map((e) => ({ e, key: rng.next() }));
  keyed.sort((a, b) => b.e.timeMs - a.e.timeMs || a.key - b.key);
  return keyed.slice(from - lo, to - lo).map(({ e }) => e);
}

/**
 * The index of the first of `rows` (newest first) whose time passes `test`, a test that holds from
 * some index on; `rows.length` if none does.
 */
function firstWhere(rows: readonly MemoryEntry[], test: (timeMs: number) => boolean): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (test((rows[mid] as MemoryEntry).timeMs)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** A documented-looking entry at `timeMs` (epoch-ms time), varied by `n`. */
export const viewEntry = (timeMs: number, n = 0): MemoryEntry => ({
  timeMs,
  entry: {
    actionType: 'VIEWED',
    actorId: 0,
    eventText: 'Viewed card',
    objectId: String(1000 + (n % 7)),
    objectName: `Card ${n % 7}`,
    objectType: 'CARD',
    time: timeMs,
    userId: String(100 + (n % 3)),
    userName: `User ${n % 3}`,
    userType: 'USER',
  },
});
