import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { RUN_SILENCE_MS } from '../../../functions/core/lake/runs-in-progress.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { deferred } from '../../support/deferred.ts';
import { config, day0, firstRunAt, oneHourSpans, secondRunAt } from '../../support/lake-beside-run.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { at, bodyOf, countedCalls, dayLake } from '../../support/verify-day-lake.ts';

// Reviews of stop 61 (R-AHEAD2): plain verify checks up to the later of the last covered hour and
// the watermark, so an hour after both holding events but no manifest (a run killed between an
// hour's objects and its manifest, or objects planted there) went unmentioned until a later
// manifest made it a gap, while queries read it. A run in progress always leaves such hours, so
// they are now named only when no run is in progress by the lake's run records (the digest
// chain's open end and the last-run record, read only when there are such hours); hours a run in
// progress pulls are said to be its.

describe('verify without a range: hours after the lake ends holding objects but no manifest', () => {
  it('names those no run in progress pulls, with who fills them, and passes', async () => {
    const store = await dayLake();
    const now = at(30) + 1_800_000;
    const clean = countedCalls(store);
    const before = await verifyLake(clean.store, 'acme', undefined, { nowMs: now });
    expect(before).toMatchObject({ ok: true, toMs: at(24) });
    expect(before.heldAfterLake).toBeUndefined();
    const body = bodyOf(store, activityKey('acme', at(4)));
    // Events of one hour, a quarantine object of another, and one of the current hour (begun, so
    // not an hour not begun, but not ended: named apart, as put there).
    store.putNow(activityKey('acme', at(26)), body);
    store.putNow(quarantineKey('acme', at(27)), body);
    store.putNow(activityKey('acme', at(30)), body);
    const report = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(report).toMatchObject({
      ok: true,
      toMs: at(24),
      gaps: [],
      interruptedWindows: 0,
      heldAfterLake: { hourCount: 2, fromMs: at(26), toMs: at(28), repull: { fromMs: at(24), toMs: at(28) } },
      heldNotEnded: { hourCount: 1, fromMs: at(30), toMs: at(31) },
    });
    expect(report.afterLakeBeingWritten).toBeUndefined();
    expect(describeReport(report, 'memory')).toContain(
      '  2 hour(s) between 2026-10-02 02:00Z and 2026-10-02 04:00Z hold events or quarantined entries but no manifest, after the last hour checked (the later of the last covered hour and the watermark), and no ingest in progress pulls them: an ingest of those hours was interrupted between their objects and their manifests, or the objects were planted; queries read them all the same, so look at them first (verify --integrity says whether a digest records them): the next ingest without --from/--to pulls every hour from the watermark on and writes their manifests; or, once no ingest runs, re-pull from the last hour checked on with:\n    ingest --from 2026-10-02T00:00:00Z --to 2026-10-02T04:00:00Z\n',
    );
    // The demo's lake is built again by the demo, which the line says instead.
    expect(describeReport(report, 'memory', true)).toContain(
      "queries read them all the same, so this is the demo's lake, which ingest refuses: run the demo again to build it whole\n",
    );
    // A range asked for leaves the hours after it out; nor is anything judged without now.
    const ranged = await verifyLake(store, 'acme', { fromMs: at(0), toMs: at(24) }, { nowMs: now });
    expect(ranged.heldAfterLake).toBeUndefined();
    expect((await verifyLake(store, 'acme')).heldAfterLake).toBeUndefined();
    // The run records are read only when there are such hours: a lake without them costs no read more.
    for (const hour of [26, 30]) store.objects.delete(activityKey('acme', at(hour)));
    store.objects.delete(quarantineKey('acme', at(27)));
    const again = countedCalls(store);
    await verifyLake(again.store, 'acme', undefined, { nowMs: now });
    expect([again.gets(), again.lists()]).toEqual([clean.gets(), clean.lists()]);
  });

  it('leaves out an hour whose manifest a run wrote after the span was set', async () => {
    const store = await dayLake();
    // The span as set before a run covered hours 20 to 23: the listing then finds their manifests.
    const bounds = { fromMs: at(0), toMs: at(20), listFromMs: at(0), wholeLake: true } as const;
    const report = await verifyLake(store, 'acme', bounds, { nowMs: at(30) });
    expect(report.heldAfterLake).toBeUndefined();
    expect(report.afterLakeBeingWritten).toBeUndefined();
  });

  it('says a run in progress pulls them, and names them once that run has gone silent', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    await runIngest(quietIngestDeps(source, store, firstRunAt), config, oneHourSpans);
    // The second run's last hour: its events stored, its manifest held back.
    const held = coverageKey('acme', at(11));
    const gate = deferred();
    store.beforePut = (key) => (key === held ? gate.promise : undefined);
    const run = runIngest(quietIngestDeps(source, store, secondRunAt), config, oneHourSpans);
    while (!store.objects.has(coverageKey('acme', at(10)))) await new Promise((r) => setTimeout(r, 1));
    while (!store.objects.has(activityKey('acme', at(11)))) await new Promise((r) => setTimeout(r, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));

    const live = await verifyLake(store, 'acme', undefined, { nowMs: secondRunAt });
    expect(live).toMatchObject({
      ok: true,
      toMs: at(11),
      afterLakeBeingWritten: { hourCount: 1, fromMs: at(11), toMs: at(12) },
    });
    expect(live.heldAfterLake).toBeUndefined();
    const runId = live.afterLakeBeingWritten?.runs[0]?.runId as string;
    expect(runId).toEqual(expect.any(String));
    expect(describeReport(live, 'memory')).toContain(
      `  1 hour(s) between 2026-10-01 11:00Z and 2026-10-01 12:00Z, after the last hour checked, hold events or quarantined entries but no manifest yet, pulled by an ingest in progress: run ${runId} (last digest `,
    );

    const silent = await verifyLake(store, 'acme', undefined, {
      nowMs: secondRunAt + RUN_SILENCE_MS + 60_000,
    });
    expect(silent).toMatchObject({ ok: true, heldAfterLake: { hourCount: 1, fromMs: at(11), toMs: at(12) } });
    expect(silent.afterLakeBeingWritten).toBeUndefined();
    gate.resolve();
    await run;
    const done = await verifyLake(store, 'acme', undefined, { nowMs: secondRunAt + 60_000 });
    expect(done.heldAfterLake).toBeUndefined();
    expect(done.afterLakeBeingWritten).toBeUndefined();
  });
});
