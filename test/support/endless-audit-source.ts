import type { AuditQuery } from '../../functions/core/domo/audit-source.ts';
import { MemoryAuditSource } from './memory-audit-source.ts';

/**
 * The memory source, except that for queries reaching into `[hostileFrom, hostileTo)` it serves a
 * stable list with no end: row k at offset k, timed inside that span, full pages. It never answers
 * an empty or a short page.
 */
export class EndlessSource extends MemoryAuditSource {
  constructor(
    entries: ConstructorParameters<typeof MemoryAuditSource>[0],
    private readonly hostileFrom: number,
    private readonly hostileTo: number,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    // Ranges are asked as [from - 1 ms, to]: an hour's query touches its neighbours by 1 ms only.
    if (query.end <= this.hostileFrom || query.start + 1 >= this.hostileTo) return super.fetchPage(query);
    this.queries.push(query);
    // Times a few ms apart, inside the one second a range is split down to: a list of one time
    // longer than a page would fail on its first page, as a run of one time no page can check.
    const top = Math.min(query.end, this.hostileTo) - 1;
    const rows = Array.from({ length: query.limit }, (_, i) => ({
      time: top - ((query.offset + i) % 100),
      actionType: 'VIEWED',
      n: query.offset + i,
    }));
    return { entries: rows, entryTexts: rows.map((row) => JSON.stringify(row)), requests: 1 };
  }
}
