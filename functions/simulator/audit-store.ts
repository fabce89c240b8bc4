/** One stored entry: the exact JSON text served for it and when it exists in the API's eyes. */
export interface StoredEntry {
  /** Insertion order; ties in time are served in this order. */
  seq: number;
  timeMs: number;
  /** The API serves the entry only from this instant on (late-arriving events). */
  visibleFromMs: number;
  /** For the `user` filter; undefined when the event had no user id. */
  userId: string | undefined;
  json: string;
  malformed: boolean;
}

export interface AuditSelection {
  startMs: number;
  endMs?: number;
  startInclusive: boolean;
  endInclusive: boolean;
  user?: string;
  /** The server's clock: only entries visible then and inside retention are served. */
  nowMs: number;
  retentionMs: number;
}

/** Entries ordered newest first (ties by insertion), with range look-ups by binary search. */
export class AuditStore {
  private entries: StoredEntry[] = [];
  private nextSeq = 0;

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
