import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { ingestHourByHour } from '../../support/hour-by-hour-ingest.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

/**
 * Answers as the audit client does when a body is too long for its cap: for the hour from
 * `heavyFromMs`, a page of more than 250 entries is asked again for half as many, and the page
 * says the limit it was finally asked with.
 */
class HalvingSource extends MemoryAuditSource {
  readonly asked: number[] = [];

  constructor(
    entries: ConstructorParameters<typeof MemoryAuditSource>[0],
    private readonly heavyFromMs: number,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    this.asked.push(query.limit);
    let limit = query.limit;
    while (query.end > this.heavyFromMs && limit > 250) limit = Math.max(2, Math.floor(limit / 2));
    const page = await super.fetchPage({ ...query, limit });
    return limit < query.limit ? { ...page, limit } : page;
  }
}

const hour = (startMs: number, count: number) =>
  Array.from({ length: count }, (_, i) => viewEntry(startMs + i * 1_000, i));

describe('pages asked again for fewer entries (bodies too long for the cap)', () => {
  it('reads the rest of the range with the smaller limit, a page of it being full', async () => {
    // Hour 0 fills pages of 1,000; in hour 1 a page of 250 is as full as asked, though shorter
    // than 1,000 and short in bytes: taken for the end, it lost the rest of the hour.
    const source = new HalvingSource([...hour(day0, 1_500), ...hour(day0 + HOUR_MS, 1_000)], day0 + HOUR_MS);
    const { summary, eventsIn } = await ingestHourByHour(source, day0, 2);
    expect(summary.failures).toEqual([]);
    expect(await eventsIn(0)).toBe(1_500);
    expect(await eventsIn(1)).toBe(1_000);
    // Hour 1 asks 1,000 once, then 250 a page: never the long page again.
    expect(source.asked).toEqual([1000, 1000, 1000, 250, 250, 250, 250]);
  });
});
