import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { deferred } from '../../support/deferred.ts';
import { config, day0, firstRunAt, HeldHourSource, oneHourSpans } from '../../support/lake-beside-run.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// A re-pull of history older than the watermark (ingest --from/--to) stores its hours out of
// order like any run. A plain verify beside it excused only hours at or after the watermark, so it
// reported the re-pull's uncovered hours as gaps and failed while the re-pull was healthy.

const hourRange = (fromMs: number, hours = 1) => ({ fromMs, toMs: fromMs + hours * HOUR_MS });
const repullAt = firstRunAt + 10 * 60_000;

/** A lake of six hours whose hours 1..3 are gone, and a re-pull of 1..4 holding its read of hour 2. */
async function lakeBesideRepull() {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  await runIngest(quietIngestDeps(source, store, firstRunAt), config, oneHourSpans);
  for (const at of [1, 2, 3]) store.objects.delete(coverageKey('acme', day0 + at * HOUR_MS));
  const gate = deferred();
  const held = new HeldHourSource(source, day0 + 2 * HOUR_MS, gate.promise);
  const run = runIngest(quietIngestDeps(held, store, repullAt), config, {
    ...oneHourSpans,
    range: { fromMs: day0 + HOUR_MS, toMs: day0 + 5 * HOUR_MS },
  });
  for (const at of [1, 3]) {
    while (!store.objects.has(coverageKey('acme', day0 + at * HOUR_MS)))
      await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const finish = async () => {
    gate.resolve();
    return run;
  };
  return { store, finish };
}

describe('verify beside a re-pull of hours before the watermark', () => {
  it('reports the re-pull’s uncovered hour as being written, not as a gap, and passes', async () => {
    const { store, finish } = await lakeBesideRepull();
    const report = await verifyLake(store, 'acme', undefined, { nowMs: repullAt + 60_000 });
    expect(report).toMatchObject({
      ok: true,
      watermarkMs: day0 + 6 * HOUR_MS,
      gaps: [],
      uncoveredBelowWatermark: 0,
      beingWritten: { hours: [hourRange(day0 + 2 * HOUR_MS)], hourCount: 1 },
    });
    const text = describeReport(report, store.location);
    expect(text).toContain(
      '1 hour(s) before the watermark (a re-pull of older hours) are not covered yet, pulled by an ingest in progress',
    );
    expect(text).not.toContain('below the watermark are not covered');
    expect((await finish()).outcome).toBe('complete');
  });

  it('still fails on an hour before the watermark that the re-pull does not pull', async () => {
    const { store, finish } = await lakeBesideRepull();
    store.objects.delete(coverageKey('acme', day0 + 5 * HOUR_MS));
    const report = await verifyLake(store, 'acme', undefined, { nowMs: repullAt + 60_000 });
    expect(report).toMatchObject({
      ok: false,
      gaps: [hourRange(day0 + 5 * HOUR_MS)],
      uncoveredBelowWatermark: 1,
      beingWritten: { hours: [hourRange(day0 + 2 * HOUR_MS)] },
    });
    expect(describeReport(report, store.location)).toContain('1 hour(s) below the watermark are not covered');
    await finish();
  });
});
