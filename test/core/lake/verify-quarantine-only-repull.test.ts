import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { VerifyReport } from '../../../functions/core/lake/verify-report.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { at, dayNow as now } from '../../support/verify-day-lake.ts';
import { report as fixture } from '../../support/verify-report-fixture.ts';

// Review verify5 #9: hours in the span holding a quarantine object but neither events nor a
// manifest were named with one re-pull from the first to the last, so two such hours 60 hours apart
// re-pulled 61 hours, the covered ones between too. The line now names one re-pull per gap that
// holds them, from its first such hour to the end of its last (at most five; --json has them all):
// run one after another, they leave verify passing, and no covered hour is pulled again.

const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
/** An entry Domo serves that the ingest sets aside (its action type is no scalar). */
const setAside = (timeMs: number): MemoryEntry => {
  const view = viewEntry(timeMs, 99).entry as Record<string, unknown>;
  return { timeMs, entry: { ...view, actionType: { nested: true } } };
};
const HELD = [3, 4, 15];
const source = new MemoryAuditSource([
  ...Array.from({ length: 24 }, (_, h) => viewEntry(at(h) + 600_000, h)),
  ...HELD.map((h) => setAside(at(h) + 1_200_000)),
]);

/** The `ingest --from A --to B` commands the text names, as hour ranges of the day. */
function printedRanges(text: string): [number, number][] {
  return [...text.matchAll(/ingest --from (\S+) --to (\S+)/g)].map((m) => [
    (Date.parse(m[1] ?? '') - at(0)) / HOUR_MS,
    (Date.parse(m[2] ?? '') - at(0)) / HOUR_MS,
  ]);
}

describe('verify: the re-pulls named for hours holding quarantined entries only', () => {
  it('are one per gap, re-pull no covered hour, and once run leave verify passing', async () => {
    const store = new MemoryObjectStore();
    await runIngest(quietIngestDeps(source, store, now), config);
    for (const h of HELD) {
      expect(store.objects.has(quarantineKey('acme', at(h)))).toBe(true);
      // A pull of the hour interrupted between its quarantine object and its manifest.
      store.objects.delete(coverageKey('acme', at(h)));
      store.objects.delete(activityKey('acme', at(h)));
    }
    const before = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(before).toMatchObject({
      ok: false,
      gaps: [
        { fromMs: at(3), toMs: at(5) },
        { fromMs: at(15), toMs: at(16) },
      ],
      // The span as before (backwards compatible), and the ranges.
      quarantineOnly: {
        hourCount: 3,
        fromMs: at(3),
        toMs: at(16),
        ranges: [
          { fromMs: at(3), toMs: at(5) },
          { fromMs: at(15), toMs: at(16) },
        ],
      },
    });
    const ranges = printedRanges(describeReport(before, 'memory'));
    expect(ranges).toEqual([
      [3, 5],
      [15, 16],
    ]);
    // 3 hours re-pulled, not the 13 of the span.
    expect(ranges.reduce((sum, [from, to]) => sum + to - from, 0)).toBe(3);
    for (const [from, to] of ranges) {
      const range = { fromMs: at(from), toMs: at(to) };
      expect((await runIngest(quietIngestDeps(source, store, now), config, { range })).failures).toEqual([]);
    }
    const after = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(after).toMatchObject({ ok: true, gaps: [], manifestMismatches: [], quarantined: 3 });
    expect(after.quarantineOnly).toBeUndefined();
  });

  /** The report of `count` quarantine-only hours, one every other hour from the day's start. */
  const everyOtherHour = (count: number): VerifyReport => {
    const hours = Array.from({ length: count }, (_, i) => at(2 * i));
    return {
      ...fixture,
      quarantineOnly: {
        hourCount: count,
        fromMs: at(0),
        toMs: at(2 * count - 1),
        ranges: hours.map((h) => ({ fromMs: h, toMs: h + HOUR_MS })),
      },
    };
  };

  it('are listed up to five, then how many more and where they all are', () => {
    const text = describeReport(everyOtherHour(7), '/lake');
    expect(printedRanges(text)).toEqual([0, 2, 4, 6, 8].map((h) => [h, h + 1]));
    expect(text).toContain(
      'then, once no ingest runs, re-pull them, one range for each gap that holds them (the span above holds hours that need none: covered, or pulled by a run in progress):\n    ingest --from 2026-10-01T00:00:00Z --to 2026-10-01T01:00:00Z\n',
    );
    expect(text).toContain(
      '    ... and 2 more range(s): verify --json lists them all (quarantineOnly.ranges)\n',
    );
  });

  // Review verify6 #5: six ranges print all six (a "... and 1 more" line would take the room of
  // the one it leaves out); the docs said "more than five" and then the first five.
  it('are all listed when there are six', () => {
    const text = describeReport(everyOtherHour(6), '/lake');
    expect(printedRanges(text)).toEqual([0, 2, 4, 6, 8, 10].map((h) => [h, h + 1]));
    expect(text).not.toContain('more range(s)');
  });

  // Review verify6 #7 (mutation D): ranges merged only hours that touch, not hours of one gap,
  // and every test passed. Two such hours with a plain gap hour between are one range, which the
  // re-pull of mends the hour between too.
  it('take a gap whole between two such hours, a plain gap hour between them too', async () => {
    const apart = new MemoryAuditSource([
      ...Array.from({ length: 24 }, (_, h) => viewEntry(at(h) + 600_000, h)),
      ...[3, 5].map((h) => setAside(at(h) + 1_200_000)),
    ]);
    const store = new MemoryObjectStore();
    await runIngest(quietIngestDeps(apart, store, now), config);
    for (const h of [3, 4, 5]) {
      store.objects.delete(coverageKey('acme', at(h)));
      store.objects.delete(activityKey('acme', at(h)));
    }
    expect(store.objects.has(quarantineKey('acme', at(4)))).toBe(false);
    const before = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(before).toMatchObject({
      gaps: [{ fromMs: at(3), toMs: at(6) }],
      quarantineOnly: { hourCount: 2, ranges: [{ fromMs: at(3), toMs: at(6) }] },
    });
    const ranges = printedRanges(describeReport(before, 'memory'));
    expect(ranges).toEqual([[3, 6]]);
    const range = { fromMs: at(3), toMs: at(6) };
    expect((await runIngest(quietIngestDeps(apart, store, now), config, { range })).failures).toEqual([]);
    expect(await verifyLake(store, 'acme', undefined, { nowMs: now })).toMatchObject({ ok: true, gaps: [] });
  });
});
