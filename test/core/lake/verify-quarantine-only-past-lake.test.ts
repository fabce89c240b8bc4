import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { quarantineKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { at, dayNow } from '../../support/verify-day-lake.ts';

// Review verify6 #1: a verify of a range reaching past the lake's start or end counted the hours
// out there as its gaps, and a quarantine object there as a quarantine-only hour of the span; the
// re-pull it named took that hour alone, which moved the lake's start (end) to it and left the
// hours between it and the lake a gap: plain verify went from OK to PROBLEMS FOUND. The range
// before the lake now runs on to the lake's start, the one after it from the lake's end.

const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
/** An entry Domo serves that the ingest sets aside (its action type is no scalar). */
const setAside = (timeMs: number): MemoryEntry => {
  const view = viewEntry(timeMs, 99).entry as Record<string, unknown>;
  return { timeMs, entry: { ...view, actionType: { nested: true } } };
};
/** Hours 5 before the lake's day and 3 after it, holding an entry set aside only. */
const PLANTED = [-5, 27];
const source = new MemoryAuditSource([
  ...Array.from({ length: 24 }, (_, h) => viewEntry(at(h) + 600_000, h)),
  ...PLANTED.map((h) => setAside(at(h) + 1_200_000)),
]);
/** Hours after the lake's day: its hours 27 and 28 have closed and settled. */
const later = at(29) + 1_800_000;

function printedRanges(text: string): [number, number][] {
  return [...text.matchAll(/ingest --from (\S+Z) --to (\S+Z)/g)].map((m) => [
    (Date.parse(m[1] ?? '') - at(0)) / HOUR_MS,
    (Date.parse(m[2] ?? '') - at(0)) / HOUR_MS,
  ]);
}

/** Runs the re-pulls `ranges` names (hours from the day's start) and verifies the whole lake after. */
async function repullAndVerify(store: MemoryObjectStore, ranges: readonly [number, number][]) {
  for (const [from, to] of ranges) {
    const range = { fromMs: at(from), toMs: at(to) };
    expect((await runIngest(quietIngestDeps(source, store, later), config, { range })).failures).toEqual([]);
  }
  const after = await verifyLake(store, 'acme', undefined, { nowMs: later });
  // Joined to the lake: no gap is left between the re-pulled hours and it.
  expect(after).toMatchObject({ ok: true, gaps: [], manifestMismatches: [], fromMs: at(-5) });
  return after;
}

/**
 * The day's hours 0..23 (watermark at its end), with the quarantine objects of {@link PLANTED}
 * that an interrupted pull of each hour leaves.
 */
async function plantedLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  await runIngest(quietIngestDeps(source, store, dayNow), config);
  const scratch = new MemoryObjectStore();
  for (const h of PLANTED) {
    const range = { fromMs: at(h), toMs: at(h + 1) };
    await runIngest(quietIngestDeps(source, scratch, later), config, { range });
    const key = quarantineKey('acme', at(h));
    const planted = scratch.objects.get(key);
    expect(planted).toBeDefined();
    if (planted) store.objects.set(key, planted);
  }
  return store;
}

describe('verify of a range past the lake: the re-pulls of quarantine-only hours', () => {
  it('join the lake, and once run leave plain verify passing', async () => {
    const store = await plantedLake();
    expect(await verifyLake(store, 'acme', undefined, { nowMs: later })).toMatchObject({
      ok: true,
      gaps: [],
    });

    const ranged = await verifyLake(store, 'acme', { fromMs: at(-10), toMs: at(29) }, { nowMs: later });
    expect(ranged.quarantineOnly?.ranges).toEqual([
      { fromMs: at(-5), toMs: at(0) },
      { fromMs: at(24), toMs: at(28) },
    ]);
    const ranges = printedRanges(describeReport(ranged, 'memory'));
    expect(ranges).toEqual([
      [-5, 0],
      [24, 28],
    ]);
    const after = await repullAndVerify(store, ranges);
    expect(after.quarantineOnly).toBeUndefined();
  });

  // Review verify6 #2: plain verify's lines of hours before the lake named their own range
  // alone, with the same fault; the after-lake line already ran from the lake's end.
  it('of plain verify, before and after the lake, join it too', async () => {
    const store = await plantedLake();
    const plain = await verifyLake(store, 'acme', undefined, { nowMs: later });
    expect(plain).toMatchObject({ ok: true, heldBeforeLake: { fromMs: at(-5), toMs: at(-4) } });
    const ranges = printedRanges(describeReport(plain, 'memory'));
    // Review verify6 #4: every command printed, of each kind of line, names the lake and instance.
    for (const report of [
      plain,
      await verifyLake(store, 'acme', { fromMs: at(-10), toMs: at(29) }, { nowMs: later }),
    ]) {
      const text = describeReport(report, 'memory', false, undefined, { lake: '/l k', instance: 'acme' });
      // Every ingest but the prose's "ingest --from/--to".
      expect(text.match(/ingest --(?!from\/--to)/g)).toHaveLength(2);
      expect(text.match(/ingest --lake '\/l k' --instance acme --from /g)).toHaveLength(2);
    }
    expect(ranges).toEqual([
      [-5, 0],
      [24, 28],
    ]);
    const after = await repullAndVerify(store, ranges);
    expect(after.heldBeforeLake).toBeUndefined();
  });
});
