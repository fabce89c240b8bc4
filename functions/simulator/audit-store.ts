import type { Prng } from './prng.ts';

/** One stored entry: the exact JSON text served for it and when it exists in the API's eyes. */
export interface StoredEntry {
  /** Insertion order; ties in time are served in this order, unless they are shuffled. */
  seq: number;
  timeMs: number;
  /** The API serves the entry only from this instant on (late-arriving events). */
  visibleFromMs: number;
  /** For the `user` filter; undefined when the event had no user id. */
  userId: string | undefined;
  json: string;
  malformed: boolean;
}

interface AuditSelection {
  startMs: number;
  endMs?: number;
  startInclusive: boolean;
  endInclusive: boolean;
  user?: string;
  /** The server's clock: only entries visible then and inside retention are served. */
  nowMs: number;
  retentionMs: number;
}

/**
 * Entries ordered newest first (ties by insertion, or in a new random order on each request), with
 * range look-ups by binary search.
 */
export class AuditStore {
  private entries: StoredEntry[] = [];
  private nextSeq = 0;

  /**
   * @param tieOrder when given, entries of one time are served in another order drawn from it on
   *   each request, as an SQL engine may serve the ties of its ORDER BY.
   */
  constructor(private readonly tieOrder?: Prng) {}

  get size(): number {
    return this.entries.length;
  }

  add(items: readonly Omit<StoredEntry, 'seq'>[]): void {
    if (items.length === 0) return;
    for (const item of items) this.entries.push({ ...item, seq: this.nextSeq++ });
    this.entries.sort((a, b) => b.timeMs - a.timeMs || a.seq - b.seq);
  }

  private isServable(e: StoredEntry, nowMs: number, retentionMs: number): boolean {
    return e.timeMs <= nowMs && e.visibleFromMs <= nowMs && e.timeMs >= nowMs - retentionMs;
  }

  /** The `offset`..`offset+limit` slice of the entries matching `q`, newest first. */
  page(q: AuditSelection, offset: number, limit: number): StoredEntry[] {
    if (this.tieOrder) return this.pageShuffled(q, offset, limit, this.tieOrder);
    const belowStart = (t: number): boolean => (q.startInclusive ? t < q.startMs : t <= q.startMs);
    const out: StoredEntry[] = [];
    let skipped = 0;
    for (let i = this.firstAtOrBeforeEnd(q); i < this.entries.length && out.length < limit; i++) {
      const e = this.entries[i] as StoredEntry;
      if (belowStart(e.timeMs)) break;
      if (!this.isServable(e, q.nowMs, q.retentionMs)) continue;
      if (q.user !== undefined && e.userId !== q.user) continue;
      if (skipped < offset) skipped++;
      else out.push(e);
    }
    return out;
  }

  /**
   * {@link page} with ties in a new order: every matching entry up to the page's end and the rest
   * of the last one's time, the entries of each time shuffled, then the page's slice of them.
   */
  private pageShuffled(q: AuditSelection, offset: number, limit: number, rng: Prng): StoredEntry[] {
    const belowStart = (t: number): boolean => (q.startInclusive ? t < q.startMs : t <= q.startMs);
    const upTo: { e: StoredEntry; key: number }[] = [];
    for (let i = this.firstAtOrBeforeEnd(q); i < this.entries.length; i++) {
      const e = this.entries[i] as StoredEntry;
      if (belowStart(e.timeMs)) break;
      if (upTo.length >= offset + limit && e.timeMs !== upTo[upTo.length - 1]?.e.timeMs) break;
      if (!this.isServable(e, q.nowMs, q.retentionMs)) continue;
      if (q.user !== undefined && e.userId !== q.user) continue;
      upTo.push({ e, key: rng.next() });
    }
    upTo.sort((a, b) => b.e.timeMs - a.e.timeMs || a.key - b.key);
    return upTo.slice(offset, offset + limit).map(({ e }) => e);
  }

  /** Index of the newest entry not after the selection's end (binary search; entries are newest first). */
  private firstAtOrBeforeEnd(q: AuditSelection): number {
    const { endMs } = q;
    const aboveEnd = (t: number): boolean => endMs !== undefined && (q.endInclusive ? t > endMs : t >= endMs);
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (aboveEnd((this.entries[mid] as StoredEntry).timeMs)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Everything the API holds at `atMs`, newest first. */
  servableAt(atMs: number, retentionMs: number): StoredEntry[] {
    return this.entries.filter((e) => this.isServable(e, atMs, retentionMs));
  }
}
