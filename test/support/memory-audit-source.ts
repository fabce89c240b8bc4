import type { AuditPage, AuditQuery, AuditSource } from '../../functions/core/domo/audit-source.ts';

export interface MemoryEntry {
  timeMs: number;
  entry: Record<string, unknown> | unknown;
  /** The entry's JSON text as Domo would serve it; default `JSON.stringify(entry)`. */
  text?: string;
}

/**
 * An in-memory Domo: newest first, inclusive bounds, stable ties. `fail` lets a test make chosen
 * requests throw, as the real client does when Domo stays down or refuses the configuration.
 */
export class MemoryAuditSource implements AuditSource {
  readonly queries: AuditQuery[] = [];
  fail?: (query: AuditQuery) => Error | undefined;
  /** The entries newest first (ties in insertion order), sorted again when their count changes. */
  private sorted: { length: number; rows: MemoryEntry[] } = { length: -1, rows: [] };

  constructor(readonly entries: MemoryEntry[] = []) {}

  add(...entries: MemoryEntry[]): void {
    this.entries.push(...entries);
  }

  async fetchPage(query: AuditQuery) {
    this.queries.push(query);
    const error = this.fail?.(query);
    if (error) throw error;
    // Sorting and filtering every entry for every page made the large fixtures quadratic (the
    // known lake asks ~1,000 pages of ~9,000 entries); tests only add or remove entries.
    const rows = this.newestFirst();
    const from = firstWhere(rows, (ms) => ms <= query.end) + query.offset;
    const end = firstWhere(rows, (ms) => ms < query.start);
    const page = rows.slice(from, Math.min(from + query.limit, end));
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
