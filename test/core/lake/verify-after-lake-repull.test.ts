import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { day0 } from '../../support/lake-beside-run.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review verify5 #1 and #5: the re-pull named for hours after the lake's end started at the first
// held hour, so running it moved the lake's end past the hours before them, which became a gap: a
// passing verify failed once its advice was followed (on a watermark lake too, through the "(or
// re-pull …)" alternative). It now starts at the end of the last hour checked, and ends no later
// than the hours settled by now; objects of the current hour (no ingest pulls it yet) are named as
// put there, with no re-pull and no "interrupted".

const at = (hour: number) => day0 + hour * HOUR_MS;
const config = { ...defaultIngestConfig('acme'), backfillDays: 2 };
const source = new MemoryAuditSource(Array.from({ length: 40 }, (_, h) => viewEntry(at(h) + 600_000, h)));
const now = at(31) + 1_800_000;

/** A range run of `[from, to)` hours into `store`, at `now`. */
const pull = (store: MemoryObjectStore, from: number, to: number, nowMs = now) =>
  runIngest(quietIngestDeps(source, store, nowMs), config, { range: { fromMs: at(from), toMs: at(to) } });

/** Plants hour `h`'s events object as an interrupted pull leaves it: the source's own bytes, no manifest. */
async function plantHour(store: MemoryObjectStore, h: number): Promise<void> {
  const scratch = new MemoryObjectStore();
  await pull(scratch, h, h + 1);
  store.putNow(
    activityKey('acme', at(h)),
    scratch.objects.get(activityKey('acme', at(h)))?.body as Uint8Array,
  );
}

/** The `ingest --from A --to B` a line of the text names, as hours. */
function printedRange(text: string): [number, number] {
  const match = /re-pull from the last hour checked on with:\n {4}ingest --from (\S+) --to (\S+)$/m.exec(
    text,
  );
  expect(match).not.toBeNull();
  const [from, to] = [Date.parse(match?.[1] ?? ''), Date.parse(match?.[2] ?? '')];
  return [(from - day0) / HOUR_MS, (to - day0) / HOUR_MS];
}

describe('verify: the re-pull named for hours after the lake ends', () => {
  it('on a range-only lake, once run, leaves verify passing', async () => {
    const store = new MemoryObjectStore();
    await pull(store, 0, 12);
    await plantHour(store, 20);
    const before = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(before).toMatchObject({
      ok: true,
      toMs: at(12),
      heldAfterLake: { hourCount: 1, fromMs: at(20), toMs: at(21), repull: { fromMs: at(12), toMs: at(21) } },
    });
    const [from, to] = printedRange(describeReport(before, 'memory'));
    expect([from, to]).toEqual([12, 21]);
    await pull(store, from, to);
    const after = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(after).toMatchObject({ ok: true, gaps: [], toMs: at(21) });
    expect(after.heldAfterLake).toBeUndefined();
  });

  it('on a watermark lake, the alternative starts at the lake end and leaves verify passing', async () => {
    const store = new MemoryObjectStore();
    await runIngest(quietIngestDeps(source, store, at(24) + 1_800_000), config);
    await plantHour(store, 28);
    const before = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(before).toMatchObject({ ok: true, watermarkMs: at(24), toMs: at(24) });
    const text = describeReport(before, 'memory');
    expect(text).toContain('the next ingest without --from/--to pulls every hour from the watermark on');
    const [from, to] = printedRange(text);
    expect([from, to]).toEqual([24, 29]);
    await pull(store, from, to);
    const after = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(after).toMatchObject({ ok: true, gaps: [], uncoveredBelowWatermark: 0 });
    expect(after.heldAfterLake).toBeUndefined();
  });

  it('ends no later than the settled hours, and calls objects of the current hour put there', async () => {
    const store = new MemoryObjectStore();
    await pull(store, 0, 12);
    await plantHour(store, 29);
    await plantHour(store, 30);
    // Five minutes into hour 31: hour 30 has ended but not settled, hour 31 has not ended.
    store.putNow(
      activityKey('acme', at(31)),
      store.objects.get(activityKey('acme', at(30)))?.body as Uint8Array,
    );
    const report = await verifyLake(store, 'acme', undefined, { nowMs: at(31) + 300_000 });
    expect(report).toMatchObject({
      ok: true,
      heldAfterLake: { hourCount: 2, fromMs: at(29), toMs: at(31), repull: { fromMs: at(12), toMs: at(30) } },
      heldNotEnded: { hourCount: 1, fromMs: at(31), toMs: at(32) },
    });
    const text = describeReport(report, 'memory');
    expect(printedRange(text)).toEqual([12, 30]);
    const notEnded = text.split('\n').find((line) => line.includes('have not ended yet')) as string;
    expect(notEnded).toContain('between 2026-10-02 07:00Z and 2026-10-02 08:00Z hold events or quarantined');
    expect(notEnded).toContain('no ingest pulls an hour before it has closed, so the objects were put there');
    expect(notEnded).not.toMatch(/interrupted|--to/);
    // None settled: no re-pull is named at all.
    const early = new MemoryObjectStore();
    await pull(early, 0, 12);
    await plantHour(early, 30);
    const unsettled = await verifyLake(early, 'acme', undefined, { nowMs: at(31) + 300_000 });
    expect(unsettled.heldAfterLake).toMatchObject({ hourCount: 1, fromMs: at(30) });
    expect(unsettled.heldAfterLake?.repull).toBeUndefined();
    expect(describeReport(unsettled, 'memory')).toContain(
      'none has settled yet: verify again once they have',
    );
  });
});
