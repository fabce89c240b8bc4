import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { fetchSpanInParts, type HourEntries } from '../../../functions/core/ingest/fetch-span.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { aliveAfterCollecting, gcOnDemand } from '../../support/alive-after-collecting.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';

// A span too full for its page budget keeps the hours its pages completed and reads on from there
// (review R-PACE F2). The list of every entry those pages held stayed alive while it read on: V8
// keeps an async function's variables across its awaits even when they are used no more, so a
// full span held its whole page budget (with the page texts) besides each piece it went on to
// read and store, and the 1M-event ingest's peak memory rose by ~50 %.

const t0 = Date.parse('2026-11-01T04:00:00Z');

/** Serves fresh parsed entries on each page, as the real client does, and keeps a weak reference to each. */
class WatchedSource implements AuditSource {
  readonly served: WeakRef<object>[] = [];
  constructor(private readonly inner: MemoryAuditSource) {}

  async fetchPage(query: AuditQuery) {
    const page = await this.inner.fetchPage(query);
    const entries = page.entryTexts.map((text) => JSON.parse(text) as object);
    for (const entry of entries) this.served.push(new WeakRef(entry));
    return { ...page, entries };
  }
}

describe('a span too full for its pages', () => {
  it('lets the entries its pages held go once their hours are stored, while it reads on', async () => {
    const collect = gcOnDemand();
    // Busy first and last hours: the 4-hour span's two pages hold its last three hours whole and
    // part of the first, which is read on alone.
    const source = new WatchedSource(
      new MemoryAuditSource([
        ...Array.from({ length: 1_500 }, (_, i) => viewEntry(t0 + i * 2_000, i)),
        ...Array.from({ length: 1_500 }, (_, i) => viewEntry(t0 + 3 * HOUR_MS + i * 2_000, 10_000 + i)),
      ]),
    );
    const parts: number[][] = [];
    let readByFullSpan = 0;
    let heldWhileReadingOn: number | undefined;
    await fetchSpanInParts(
      source,
      { startMs: t0, endMs: t0 + 4 * HOUR_MS },
      { docTimeZone: 'UTC', maxPagesPerHour: 50, maxPagesPerSpan: 2 },
      async (part) => {
        parts.push(part.hours.map((h) => (h.startMs - t0) / HOUR_MS));
        if (parts.length === 1) {
          readByFullSpan = source.served.length;
          // Stored: the ingest takes each hour's entries out of the part as it normalises it.
          const hours: HourEntries[] = part.hours;
          for (let i = 0; i < hours.length; i++) hours[i] = { ...(hours[i] as HourEntries), entries: [] };
          return;
        }
        // The first hour, read on alone: of the entries the full span's pages held (its last
        // three hours, stored, and part of the first, read again here), none is still held.
        const ofFullSpan = source.served.slice(0, readByFullSpan);
        const alive = () => ofFullSpan.filter((ref) => ref.deref() !== undefined).length;
        heldWhileReadingOn = await aliveAfterCollecting(collect, alive);
      },
    );

    expect(parts).toEqual([[1, 2, 3], [0]]);
    expect(readByFullSpan).toBeGreaterThanOrEqual(1_500);
    expect(heldWhileReadingOn).toBe(0);
  });
});
