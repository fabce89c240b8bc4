import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange, PagesTooSmallError } from '../../../functions/core/ingest/fetch-range.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';

const t0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
const timeOf = (entry: unknown) => (entry as { time: number }).time;
const row = (time: number, id: string, pad = 0): MemoryEntry => ({
  timeMs: time,
  entry: pad === 0 ? { time, id } : { time, id, pad: 'x'.repeat(pad) },
});
const idsOf = (entries: readonly { value: unknown }[]) => entries.map((e) => (e.value as { id: string }).id);
const read = (source: MemoryAuditSource, pageSize?: number) =>
  fetchRange(source, t0, t0 + HOUR, {
    maxPagesPerRange: 50,
    timeOf,
    largestPage: nothingServedYet(),
    ...(pageSize ? { pageSize } : {}),
  });

/** Bytes of a page's body: its entries' texts, commas and brackets. */
const bodyBytes = (texts: readonly string[]) =>
  texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) + texts.length + 1;

/** As the audit client answers a body past its cap: the page asked again for half as many, down to 2. */
class HalvingSource extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly capBytes: number,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    for (let limit = query.limit; ; limit = Math.max(2, Math.floor(limit / 2))) {
      const page = await super.fetchPage({ ...query, limit });
      if (bodyBytes(page.entryTexts) <= this.capBytes) return limit < query.limit ? { ...page, limit } : page;
      if (limit <= 2) throw new Error('entries too large for the body cap');
    }
  }
}

/** Serves at most `clamp` entries a page; after its first answer, an event lands at the top. */
class ClampedWithArrival extends MemoryAuditSource {
  private answers = 0;

  constructor(
    entries: MemoryEntry[],
    private readonly clamp: number,
    private readonly late: MemoryEntry,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    if (this.answers++ === 1) this.add(this.late);
    return super.fetchPage({ ...query, limit: Math.min(query.limit, this.clamp) });
  }
}

/** Serves at most `capBytes` of entries a page, silently. */
class ByteCappedSource extends MemoryAuditSource {
  constructor(
    entries: MemoryEntry[],
    private readonly capBytes: number,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    const page = await super.fetchPage(query);
    let n = 0;
    while (
      n < page.entryTexts.length &&
      (n === 0 || bodyBytes(page.entryTexts.slice(0, n + 1)) <= this.capBytes)
    ) {
      n++;
    }
    return { entries: page.entries.slice(0, n), entryTexts: page.entryTexts.slice(0, n), requests: 1 };
  }
}

describe('pages that hold only rows re-read from the page before', () => {
  it('read on after a page asked again for no more rows than the re-read ones', async () => {
    // Newest first: 8 thin rows fill the first page of 8; the 6 fat rows after them make a page of
    // 8, then of 4, too long, and the page of 2 holds only the 2 rows re-read.
    let t = t0 + 100_000;
    const rows = [
      ...Array.from({ length: 8 }, (_, i) => row(t--, `thin${i}`, 100)),
      ...Array.from({ length: 6 }, (_, i) => row(t--, `fat${i}`, 4_500)),
    ];
    const result = await read(new HalvingSource(rows, 10_000), 8);
    expect(idsOf(result.entries)).toEqual(rows.map((r) => (r.entry as { id: string }).id));
  });

  it.each([2, 6])(
    'keep each twin once when an event arrives mid-read, pages of %i cut at a run of twins',
    async (clamp) => {
      // The first page ends in a run of twins as long as the re-read would be capped at, had it
      // been capped at half the pages served: then only twins were re-read, and the event that
      // arrived above them pushed one twin into the next page unnoticed.
      const twins = clamp === 2 ? 2 : 4;
      let t = t0 + 1_000_000;
      const rows = Array.from({ length: clamp - twins }, (_, i) => row(t--, `a${i}`));
      const twinTime = t--;
      rows.push(...Array.from({ length: twins }, () => row(twinTime, 'twin')));
      rows.push(...Array.from({ length: 10 }, (_, i) => row(t--, `b${i}`)));
      const source = new ClampedWithArrival(rows, clamp, row(t0 + 2_000_000, 'late'));
      const outcome = await read(source).then(
        (result) => idsOf(result.entries).filter((id) => id === 'twin').length,
        (error: unknown) => error,
      );
      // Read whole, or refused: never a twin kept twice.
      if (typeof outcome === 'number') expect(outcome).toBe(twins);
      else expect(outcome).toBeInstanceOf(PagesTooSmallError);
    },
  );

  it('end the range only if short in bytes too, or else ask once more', async () => {
    // A cap of 10,000 bytes: the re-read page holds 5 fat twins and no room for the next entry,
    // which is shorter than twice the longest served: the count alone took it for the end.
    let t = t0 + 1_000_000;
    const rows = Array.from({ length: 4 }, (_, i) => row(t--, `a${i}`, 60));
    const twinTime = t--;
    rows.push(...Array.from({ length: 5 }, () => row(twinTime, 'twin', 1_660)));
    rows.push(row(t--, 'E', 3_260));
    rows.push(...Array.from({ length: 20 }, (_, i) => row(t--, `b${i}`, 60)));
    const source = new ByteCappedSource(rows, 10_000);
    const outcome = await read(source).then(
      (result) => result.entries.length,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(PagesTooSmallError);
  });
});
