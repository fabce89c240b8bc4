import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { shortInBytes } from '../../../functions/core/ingest/page-end.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { ingestHourByHour } from '../../support/hour-by-hour-ingest.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const CAP_BYTES = 600_000;

/** An API that serves up to `limit` entries but at most ~600 KB of them a page, silently. */
class ByteCappedSource extends MemoryAuditSource {
  override async fetchPage(query: AuditQuery) {
    const page = await super.fetchPage(query);
    let bytes = 0;
    let n = 0;
    for (const text of page.entryTexts) {
      if (n > 0 && bytes + text.length > CAP_BYTES) break;
      bytes += text.length;
      n++;
    }
    return { entries: page.entries.slice(0, n), entryTexts: page.entryTexts.slice(0, n), requests: 1 };
  }
}

/** 1,500 entries over the hour from `startMs`, each carrying `padding` more characters. */
const hourOf = (startMs: number, padding: number): MemoryEntry[] =>
  Array.from({ length: 1_500 }, (_, i) => {
    const view = viewEntry(startMs + i * 2_000, i);
    return padding === 0
      ? view
      : { ...view, entry: { ...(view.entry as object), note: 'x'.repeat(padding) } };
  });

describe('an API that caps its pages by bytes', () => {
  it('reads every entry of a fat hour after a thin hour has filled whole pages', async () => {
    // Hour 0: thin entries fill pages of 1,000. Hour 1: entries of ~2.2 KB, 272 to a page.
    const source = new ByteCappedSource([...hourOf(day0, 0), ...hourOf(day0 + HOUR_MS, 2_000)]);
    const { summary, eventsIn } = await ingestHourByHour(source, day0, 2);
    expect(summary.failures).toEqual([]);
    expect(await eventsIn(0)).toBe(1_500);
    // Before: the fat hour's first page (shorter than the 1,000 asked) ended it, 270 of 1,500 stored.
    expect(await eventsIn(1)).toBe(1_500);
    // Hour 0: 1,000 + 502 (its short last page, short in bytes too, ends it). Hour 1: five pages
    // of 272 (each as long in bytes as the longest page served, so none ends it) and the page of
    // the last 150, short in bytes: no request more than needed.
    expect(source.queries.map((q) => q.offset)).toEqual([0, 998, 0, 270, 540, 810, 1080, 1350]);
  });

  it('ends a range on a short page with room for exactly twice the longest entry served, not one byte less', () => {
    // Served so far: bodies up to 1,000 bytes, entries up to 100 bytes.
    const largest = { entries: 1_000, bodyBytes: 1_000, entryBytes: 100, pageSize: 1_000 };
    expect(shortInBytes(largest, { body: 800, longestEntry: 50 })).toBe(true);
    // One byte less room than twice the longest entry: a cap on bytes may have ended the page.
    expect(shortInBytes(largest, { body: 801, longestEntry: 50 })).toBe(false);
  });
});
