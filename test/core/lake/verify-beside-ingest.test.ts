import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { lastRunKey, readLastRun, recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import {
  RUN_SILENCE_MS,
  type RunInProgress,
  splitGaps,
} from '../../../functions/core/lake/runs-in-progress.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { VerifyReport } from '../../../functions/core/lake/verify-report.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { deferred } from '../../support/deferred.ts';
import {
  config,
  day0,
  firstRunAt,
  HeldHourSource,
  lakeBesideRun,
  oneHourSpans,
  secondRunAt,
} from '../../support/lake-beside-run.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// An ingest reads several spans of hours at once, so later hours get their manifests before
// earlier ones: a verify run meanwhile (docs/operations.md says it may) found the hours between
// uncovered and failed, "a run failed or stopped before them", while the run was healthy. Those
// hours are now reported as being written by the run (its digest open at the chain's end, written
// minutes ago) and do not fail; a run silent for longer, a run that ended, and any hour no run
// in progress pulls still do.

const verifyAt = (store: MemoryObjectStore, nowMs: number) => verifyLake(store, 'acme', undefined, { nowMs });

const hourRange = (fromMs: number, hours = 1) => ({ fromMs, toMs: fromMs + hours * HOUR_MS });

describe('verify beside an ingest that stores later hours before earlier ones', () => {
  it('reports the uncovered hours after the watermark as being written by the run, and passes', async () => {
    const { store, watermarkMs, finish } = await lakeBesideRun();
    const report = await verifyAt(store, secondRunAt + 5 * 60_000);
    expect(report).toMatchObject({
      ok: true,
      gaps: [],
      uncoveredBelowWatermark: 0,
      interruptedWindows: 0,
      beingWritten: { hours: [hourRange(watermarkMs)], hourCount: 1, withEventsOnly: 0 },
    });
    expect(report.beingWritten?.runs).toEqual([
      expect.objectContaining({
        lastWriteAt: new Date(secondRunAt).toISOString(),
        fromMs: expect.any(Number),
      }),
    ]);
    const text = describeReport(report, store.location);
    expect(text).toContain('hours covered: 29 of 30 (1 hour(s) being written)');
    expect(text).toContain('being written: 2026-10-01 06:00Z .. 2026-10-01 07:00Z');
    expect(text).toContain('pulled by an ingest in progress: run ');
    expect(text).not.toContain('a run failed or stopped');
    expect(text).toMatch(/ {2}OK\n$/);

    const summary = await finish();
    expect(summary.windowsFailed).toBe(0);
    expect(await verifyAt(store, secondRunAt + 5 * 60_000)).toMatchObject({ ok: true, gaps: [] });
  });

  it('counts an hour holding events before its manifest as being written, not as an interrupted pull', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    await runIngest(quietIngestDeps(source, store, firstRunAt), config, oneHourSpans);
    const held = coverageKey('acme', day0 + 6 * HOUR_MS);
    const gate = deferred();
    store.beforePut = (key) => (key === held ? gate.promise : undefined);
    const run = runIngest(quietIngestDeps(source, store, secondRunAt), config, oneHourSpans);
    const lastHour = coverageKey('acme', day0 + 11 * HOUR_MS);
    while (!store.objects.has(lastHour)) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const report = await verifyAt(store, secondRunAt);
    expect(report).toMatchObject({
      ok: true,
      interruptedWindows: 0,
      beingWritten: { hourCount: 1, withEventsOnly: 1 },
    });
    expect(describeReport(report, store.location)).toContain('1 of them hold events, their manifest not yet');
    gate.resolve();
    await run;
  });

  it('fails as before once the run has written no digest for 15 minutes: it died, or is stuck', async () => {
    const { store, watermarkMs, finish } = await lakeBesideRun();
    const report = await verifyAt(store, secondRunAt + RUN_SILENCE_MS + 60_000);
    expect(report).toMatchObject({ ok: false, gaps: [hourRange(watermarkMs)] });
    expect(report.beingWritten).toBeUndefined();
    const text = describeReport(report, store.location);
    expect(text).toContain(
      '1 hour(s) at or after the watermark are not covered (a run failed or stopped before them)',
    );
    expect(text).toMatch(/PROBLEMS FOUND\n$/);
    // Nor a digest written far ahead of now (another clock, or an edited digest).
    expect(await verifyAt(store, secondRunAt - RUN_SILENCE_MS - 60_000)).toMatchObject({ ok: false });
    await finish();
  });

  it('fails as before when the run failed the hour and ended (its chain sealed)', async () => {
    const { store, watermarkMs, finish } = await lakeBesideRun();
    const summary = await finish(true);
    expect(summary.windowsFailed).toBeGreaterThan(0);
    const report = await verifyAt(store, secondRunAt);
    expect(report).toMatchObject({ ok: false, gaps: [hourRange(watermarkMs)] });
    expect(report.beingWritten).toBeUndefined();
  });

  it('fails when the last-run record says the run ended, its chain left open or not', async () => {
    const { store, finish } = await lakeBesideRun();
    const live = (await verifyAt(store, secondRunAt)) as VerifyReport;
    const runId = live.beingWritten?.runs[0]?.runId as string;
    expect(runId).toMatch(/^\d{8}T\d{6}Z-/);
    store.putNow(
      lastRunKey('acme'),
      new TextEncoder().encode(
        JSON.stringify({
          version: 1,
          instance: 'acme',
          run_id: runId,
          mode: 'checkpoint',
          finished_at: new Date(secondRunAt).toISOString(),
          finished_at_ms: secondRunAt,
          outcome: 'stopped-early',
          hours_done: 5,
          hours_failed: 0,
          events_written: 0,
          quarantined: 0,
          watermark_ms: day0 + 6 * HOUR_MS,
          first_failure: null,
        }),
      ),
    );
    const report = await verifyAt(store, secondRunAt);
    expect(report.ok).toBe(false);
    expect(report.beingWritten).toBeUndefined();
    // A later scheduled run that fails before planning (its secret unreadable) replaces that record
    // with its own, which has no run id: the run recorded as ended stays ended (twice over).
    for (const atMs of [secondRunAt + 60_000, secondRunAt + 120_000])
      await recordRunFailedToStart(store, 'acme', 'secret unreadable', atMs, 15, 'schedule');
    expect((await readLastRun(store, 'acme'))?.ended_run_id).toBe(runId);
    expect((await verifyAt(store, secondRunAt + 180_000)).beingWritten).toBeUndefined();
    await finish();
  });

  it('still fails on an hour before the watermark, the run in progress or not', async () => {
    const { store, watermarkMs, finish } = await lakeBesideRun();
    store.objects.delete(coverageKey('acme', day0 + 2 * HOUR_MS));
    const report = await verifyAt(store, secondRunAt);
    expect(report).toMatchObject({
      ok: false,
      gaps: [hourRange(day0 + 2 * HOUR_MS)],
      uncoveredBelowWatermark: 1,
      beingWritten: { hours: [hourRange(watermarkMs)] },
    });
    expect(describeReport(report, store.location)).toContain(
      'hours covered: 28 of 30 (1 gap(s), 1 hour(s) being written)',
    );
    await finish();
  });

  it('without now (no caller that knows it), every uncovered hour is a gap, as before', async () => {
    const { store, watermarkMs, finish } = await lakeBesideRun();
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: false, gaps: [hourRange(watermarkMs)] });
    await finish();
  });
});

describe('splitGaps', () => {
  const run = (fromMs: number | null, toMs: number | null): RunInProgress => ({
    runId: `r${fromMs}`,
    digestKey: 'k',
    lastWriteAt: '',
    fromMs,
    toMs,
  });
  const h = (n: number) => day0 + n * HOUR_MS;

  it('sets aside the hours a run pulls, before the watermark too', () => {
    const gaps = [
      { fromMs: h(0), toMs: h(4) },
      { fromMs: h(6), toMs: h(10) },
    ];
    const pulling = run(h(1), h(8));
    const other = run(h(20), h(30));
    expect(splitGaps(gaps, [pulling, other])).toEqual({
      gaps: [
        { fromMs: h(0), toMs: h(1) },
        { fromMs: h(8), toMs: h(10) },
      ],
      beingWritten: [
        { fromMs: h(1), toMs: h(4) },
        { fromMs: h(6), toMs: h(8) },
      ],
      runs: [pulling],
    });
  });

  it('a run of unknown hours pulls any; odd bounds shrink to whole hours', () => {
    const gaps = [{ fromMs: h(0), toMs: h(3) }];
    expect(splitGaps(gaps, [run(null, null)]).gaps).toEqual([]);
    expect(splitGaps(gaps, [run(h(0) + 1, h(3) - 1)])).toMatchObject({
      gaps: [
        { fromMs: h(0), toMs: h(1) },
        { fromMs: h(2), toMs: h(3) },
      ],
      beingWritten: [{ fromMs: h(1), toMs: h(2) }],
    });
  });
});

describe('verify beside the first run of a lake, before its first checkpoint', () => {
  it('reports every uncovered hour the run pulls as being written', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    const gate = deferred();
    // Its first hour: the watermark cannot move before it is stored.
    const held = new HeldHourSource(source, day0 - 18 * HOUR_MS, gate.promise);
    const run = runIngest(quietIngestDeps(held, store, firstRunAt), config, oneHourSpans);
    const lastHour = coverageKey('acme', day0 + 5 * HOUR_MS);
    while (!store.objects.has(lastHour)) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const report = await verifyLake(store, 'acme', hourRange(day0 - 18 * HOUR_MS, 24), { nowMs: firstRunAt });
    expect(report).toMatchObject({ ok: true, watermarkMs: null, gaps: [], beingWritten: { hourCount: 1 } });
    expect(describeReport(report, store.location)).toContain(
      '1 hour(s) (the lake has no checkpoint yet) are not covered yet, pulled by an ingest in progress',
    );
    gate.resolve();
    await run;
  });
});
