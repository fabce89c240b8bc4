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

  constructor(readonly entries: MemoryEntry[] = []) {}

  add(...entries: MemoryEntry[]): void {
    this.entries.push(...entries);
  }

  async fetchPage(query: AuditQuery) {
    this.queries.push(query);
    const error = this.fail?.(query);
    if (error) throw error;
    const rows = this.entries
      .map((e, i) => ({ ...e, i }))
      .filter((e) => e.timeMs >= query.start && e.timeMs <= query.end)
      .sort((a, b) => b.timeMs - a.timeMs || a.i - b.i)
      .slice(query.offset, query.offset + query.limit);
    return {
      entries: rows.map((e) => e.entry),
      entryTexts: rows.map((e) => e.text ?? JSON.stringify(e.entry) ?? 'null'),
      requests: 1,
    } satisfies AuditPage;
  }
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
