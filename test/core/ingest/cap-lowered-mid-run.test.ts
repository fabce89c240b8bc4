import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const timeOf = (entry: unknown) => (entry as { time: number }).time;

/** An API whose cap on a page drops to `cap` once it has answered `after` requests in full. */
class CapLowered extends MemoryAuditSource {
  private answered = 0;
  constructor(
    entries: MemoryEntry[],
    private readonly cap: number,
    private readonly after = 1,
  ) {
    super(entries);
  }

  override async fetchPage(query: AuditQuery) {
    const limit = this.answered++ >= this.after ? Math.min(query.limit, this.cap) : query.limit;
    return super.fetchPage({ ...query, limit });
  }
}

/** `count` entries spread evenly over `[fromMs, fromMs + spanMs)`, newest a step before its end. */
const spread = (count: number, fromMs: number, spanMs: number, n0 = 0): MemoryEntry[] =>
  Array.from({ length: count }, (_, i) =>
    viewEntry(fromMs + Math.floor(((i + 0.5) * spanMs) / count), n0 + i),
  );

describe('a cap on a page lowered mid-run (review R-DRIFT H1)', () => {
  it('stores every entry of the hours read after the cap dropped, and says so once', async () => {
    // Before: the run had seen a full page, so the second hour's first page of 500 (short by half,
    // and in bytes) ended it: stored complete with 500 of 700 entries, no failure, no word.
    const entries = [...spread(1200, day0, 40 * 60_000), ...spread(700, day0 + HOUR_MS, HOUR_MS, 5000)];
    const store = new MemoryObjectStore();
    const warnings: string[] = [];
    const summary = await runIngest(
      {
        ...quietIngestDeps(new CapLowered(entries, 500), store, day0 + 2 * 24 * HOUR_MS),
        log: { ...silentLog, warn: (message) => warnings.push(message) },
      },
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: day0, toMs: day0 + 2 * HOUR_MS } },
    );
    const first = (await readCoverage(store, 'acme', day0))?.event_count;
    const second = (await readCoverage(store, 'acme', day0 + HOUR_MS))?.event_count;
    expect({ failures: summary.failures.length, first, second }).toEqual({
      failures: 0,
      first: 1200,
      second: 700,
    });
    expect(warnings.filter((w) => w.includes('at most 500 entries a page'))).toHaveLength(1);
  });

  const read = async (entries: MemoryEntry[], cap: number) => {
    // The first range fills its page: the run knows the API fills the pages it is asked for.
    const largestPage = nothingServedYet();
    const source = new CapLowered(entries, cap);
    const options = { maxPagesPerRange: 50, timeOf, largestPage };
    await fetchRange(source, day0 - HOUR_MS, day0, options);
    const before = source.queries.length;
    const result = await fetchRange(source, day0, day0 + HOUR_MS, options);
    return { read: result.entries.length, requests: source.queries.length - before, largestPage };
  };
  const fullHourBefore = spread(1000, day0 - HOUR_MS, HOUR_MS, 9000);

  it.each([500, 250, 100, 480, 333, 170, 123])(
    'reads a whole hour of 900 entries once Domo serves %i a page, and learns the cap',
    async (cap) => {
      const { read: got, largestPage } = await read([...fullHourBefore, ...spread(900, day0, HOUR_MS)], cap);
      expect(got).toBe(900);
      expect(largestPage.servesAtMost).toBe(cap);
    },
  );

  it.each([500, 250])(
    'reads a whole hour whose read was past its first page when the cap dropped to %i',
    async (cap) => {
      // Review R2-DRIFT: the first page full (1,000), the next one cut by the cap: judged on a
      // read's first page only, that page ended the range, stored with 998 + cap of 2,000 entries.
      const largestPage = nothingServedYet();
      const source = new CapLowered(spread(2000, day0, HOUR_MS), cap);
      const result = await fetchRange(source, day0, day0 + HOUR_MS, {
        maxPagesPerRange: 50,
        timeOf,
        largestPage,
      });
      expect({ read: result.entries.length, cap: largestPage.servesAtMost }).toEqual({ read: 2000, cap });
    },
  );

  it('reads an odd cap past a page that left only a few entries, when they lie far from its start', async () => {
    // 337 entries, 4 of them 10 minutes before the rest: the page of 333 is read past by its time.
    const hour = [...spread(4, day0, 60_000), ...spread(333, day0 + 10 * 60_000, 50 * 60_000, 100)];
    const { read: got, requests } = await read([...fullHourBefore, ...hour], 333);
    expect({ got, requests }).toEqual({ got: 337, requests: 2 });
  });

  it('ends an hour on its short last page in one request when nothing says a cap cut it', async () => {
    const {
      read: got,
      requests,
      largestPage,
    } = await read([...fullHourBefore, ...spread(617, day0, HOUR_MS)], 1000);
    expect({ got, requests, cap: largestPage.servesAtMost }).toEqual({ got: 617, requests: 1, cap: 0 });
  });

  it('reads past a short first page whose entries begin late once: the re-read rows alone end the hour', async () => {
    const hour = spread(888, day0 + 40 * 60_000, 20 * 60_000);
    const { read: got, requests, largestPage } = await read([...fullHourBefore, ...hour], 1000);
    expect({ got, requests, cap: largestPage.servesAtMost }).toEqual({ got: 888, requests: 2, cap: 0 });
  });

  it('forgets the cap once a page holds more again', async () => {
    const largestPage = nothingServedYet();
    const told: number[] = [];
    largestPage.onCapLearnt = (n) => told.push(n);
    const options = { maxPagesPerRange: 50, timeOf, largestPage };
    const capped = new CapLowered([...fullHourBefore, ...spread(900, day0, HOUR_MS)], 500);
    await fetchRange(capped, day0 - HOUR_MS, day0, options);
    await fetchRange(capped, day0, day0 + HOUR_MS, options);
    expect(largestPage.servesAtMost).toBe(500);
    const raised = new MemoryAuditSource(spread(1500, day0 + HOUR_MS, HOUR_MS));
    const result = await fetchRange(raised, day0 + HOUR_MS, day0 + 2 * HOUR_MS, options);
    expect({ read: result.entries.length, cap: largestPage.servesAtMost, told }).toEqual({
      read: 1500,
      cap: 0,
      told: [500],
    });
  });
});
