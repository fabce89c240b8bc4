import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import {
  DEFAULT_MAX_READ_MS,
  EndlessPagesError,
  fetchRange,
} from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { EndlessSource } from '../../support/endless-audit-source.ts';
import { viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
/** An answer just inside the request timeout (30 s), on the test's virtual clock. */
const SLOW_ANSWER_MS = 29_000;

/** A clock that only moves when a page is answered. */
class VirtualClock {
  ms = day0 + 3 * HOUR_MS + 30 * 60_000;
  now = () => this.ms;
}

/**
 * The memory source answering every page 29 s late (on the virtual clock); inside
 * `[hostileFrom, hostileTo)`, full pages of new entries of the first second, never the last page:
 * the review's `endless-slow` server (R-HOSTILE MEDIUM-1).
 */
class SlowSource extends EndlessSource {
  constructor(
    entries: ConstructorParameters<typeof EndlessSource>[0],
    private readonly clock: VirtualClock,
    hostile?: { from: number; to: number },
  ) {
    // No hostile span: one that no query reaches.
    super(entries, hostile?.from ?? Number.POSITIVE_INFINITY, hostile?.to ?? Number.NEGATIVE_INFINITY);
  }

  override async fetchPage(query: AuditQuery) {
    this.clock.ms += SLOW_ANSWER_MS;
    return super.fetchPage(query);
  }
}

const timeOf = (entry: unknown) => (entry as { time: number }).time;
const HOUR_0 = '2026-10-01T00:00:00.000Z..2026-10-01T01:00:00.000Z';

describe('a slow server that never ends its paging (review R-HOSTILE MEDIUM-1)', () => {
  it('gets 30 minutes for one read, then the read fails saying how long it took', async () => {
    const clock = new VirtualClock();
    const source = new SlowSource([], clock, { from: day0, to: day0 + HOUR_MS });
    const startMs = clock.ms;
    const error = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 50,
      pageSize: 10,
      timeOf,
      clock,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndlessPagesError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Domo took 30\\.\\d min for \\d+ pages \\(\\d+ entries\\) of ${HOUR_0.replaceAll('.', '\\.')} ` +
          'without ending the range \\(ceiling 30 min a read\\): the hour holds more than that time reads, ' +
          'or the API is too slow or never ends its paging; nothing of it is written and the next run ' +
          'tries it again\\. The ceiling is looked at before each page is asked, so a read can pass it by ' +
          'one page and its retries\\.$',
      ),
    );
    // One page past the ceiling at most, where the page ceilings alone let it run 2 h 10 min.
    expect(clock.ms - startMs).toBeLessThanOrEqual(DEFAULT_MAX_READ_MS + SLOW_ANSWER_MS);
  });

  it('does not cut an honest hour whose pages all come just inside the timeout', async () => {
    const clock = new VirtualClock();
    const entries = Array.from({ length: 4_000 }, (_, i) => viewEntry(day0 + i * 900, i));
    const source = new SlowSource(entries, clock);
    const fetched = await fetchRange(source, day0, day0 + HOUR_MS, {
      maxPagesPerRange: 50,
      pageSize: 100,
      timeOf,
      clock,
    });
    expect(fetched.entries).toHaveLength(4_000);
  });

  it('fails the read of that hour in a run, on the run clock: nothing of it is written', async () => {
    const clock = new VirtualClock();
    const source = new SlowSource(
      [viewEntry(day0 + 10, 1), viewEntry(day0 + HOUR_MS + 10, 2), viewEntry(day0 + 2 * HOUR_MS + 10, 3)],
      clock,
      { from: day0 + HOUR_MS, to: day0 + 2 * HOUR_MS },
    );
    const store = new MemoryObjectStore();
    const deps = { ...quietIngestDeps(source, store, clock.ms), clock };
    const summary = await runIngest(deps, {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      concurrency: 1,
    });
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.message).toMatch(
      /^Domo took 30\.\d min for \d+ pages .*ceiling 30 min a read/,
    );
    expect(store.objects.has(activityKey('acme', day0 + HOUR_MS))).toBe(false);
  });

  it('gives each read the ceiling of the run, where an honest busy hour may need more (R-HOSTILE2)', async () => {
    const clock = new VirtualClock();
    const source = new SlowSource([viewEntry(day0 + 10, 1)], clock, {
      from: day0 + HOUR_MS,
      to: day0 + 2 * HOUR_MS,
    });
    const store = new MemoryObjectStore();
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, clock.ms), clock },
      { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1, maxReadMs: 45 * 60_000 },
    );
    expect(summary.failures[0]?.message).toMatch(
      /^Domo took 45\.\d min for \d+ pages .*ceiling 45 min a read/,
    );
  });

  it('says of a range run that no later run pulls its hours, not that the next run tries them (R-SECOND L4)', async () => {
    const clock = new VirtualClock();
    const source = new SlowSource([], clock, { from: day0 + HOUR_MS, to: day0 + 2 * HOUR_MS });
    const summary = await runIngest(
      { ...quietIngestDeps(source, new MemoryObjectStore(), clock.ms), clock },
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: day0 + HOUR_MS, toMs: day0 + 2 * HOUR_MS } },
    );
    const [failure] = summary.failures;
    expect(failure?.message).toMatch(/ceiling 30 min a read/);
    expect(failure?.message).toContain(
      'nothing of it is written and no later run pulls these hours by itself: a run of the same range tries it again.',
    );
    expect(failure?.message).not.toContain('the next run');
  });

  it('times each read on the read clock, not the wall clock the run is dated by (R-HOSTILE2 LOW-1)', async () => {
    const clock = new VirtualClock();
    // Two pages: the second is asked after the wall clock moved.
    const entries = Array.from({ length: 1_500 }, (_, i) => viewEntry(day0 + HOUR_MS + i * 1_000, i));
    const source = new SlowSource(entries, clock);
    const store = new MemoryObjectStore();
    // A wall clock set forward an hour while the first page is read: no read took that long.
    const startMs = clock.ms;
    const wall = { now: () => clock.ms + (clock.ms > startMs ? HOUR_MS : 0) };
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, startMs), clock: wall, readClock: clock },
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: day0 + HOUR_MS, toMs: day0 + 2 * HOUR_MS } },
    );
    expect(summary.failures.map((f) => f.message)).toEqual([]);
    expect(store.objects.has(activityKey('acme', day0 + HOUR_MS))).toBe(true);
  });
});
