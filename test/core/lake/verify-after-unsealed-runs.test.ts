import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest, type DigestRunMode } from '../../../functions/core/lake/digest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { config, day0, firstRunAt, oneHourSpans } from '../../support/lake-beside-run.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Two runs beside each other that both end with their seal left open (their re-read before the
// seal ran out of time) leave the chain ending in two open digests, each recorded in last-run.json
// as it ended. The record named only the run recorded last: the other one's open digest passed for
// a run in progress for 15 minutes, and a plain verify excused its hole ("a re-pull of older
// hours") and said OK.

const hourRange = (fromMs: number) => ({ fromMs, toMs: fromMs + HOUR_MS });
const hole = day0 + 2 * HOUR_MS;
const endedAt = firstRunAt + 5 * 60_000;

/** A lake of six hours with hour 2's manifest gone, and its first run's summary. */
async function lakeWithHole() {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  const summary = await runIngest(quietIngestDeps(source, store, firstRunAt), config, oneHourSpans);
  store.objects.delete(coverageKey('acme', hole));
  return { store, summary };
}

/** Appends an open digest of `runId` pulling hours 0..6, as a run that has not sealed leaves it. */
const openDigest = (store: MemoryObjectStore, runId: string, mode: DigestRunMode) =>
  appendDigest(store, {
    instance: 'acme',
    runId,
    createdAt: new Date(endedAt).toISOString(),
    objects: [],
    sealed: false,
    fromMs: day0,
    toMs: day0 + 6 * HOUR_MS,
    mode,
  });

describe('verify after runs that ended with their digest open', () => {
  it.each([
    ['in the order they finished', [0, 1]],
    ['the later one recorded first', [1, 0]],
  ])('reports the hole as a gap when both runs are recorded %s', async (_, order) => {
    const { store, summary } = await lakeWithHole();
    await openDigest(store, 'run-a', 'checkpoint');
    await openDigest(store, 'run-b', 'checkpoint');
    const records = [
      { runId: 'run-a', atMs: endedAt },
      { runId: 'run-b', atMs: endedAt + 1_000 },
    ];
    for (const at of order) {
      const record = records[at] as (typeof records)[number];
      await recordLastRun(store, { ...summary, runId: record.runId }, record.atMs);
    }

    const report = await verifyLake(store, 'acme', undefined, { nowMs: endedAt + 60_000 });

    expect(report).toMatchObject({ ok: false, gaps: [hourRange(hole)], uncoveredBelowWatermark: 1 });
    expect(report.beingWritten).toBeUndefined();
    expect(describeReport(report, store.location)).toContain('1 hour(s) below the watermark are not covered');
  });

  it('calls the hours of a run from the checkpoint in progress its own, not a re-pull', async () => {
    const { store } = await lakeWithHole();
    await openDigest(store, 'run-a', 'checkpoint');

    const report = await verifyLake(store, 'acme', undefined, { nowMs: endedAt + 60_000 });

    expect(report).toMatchObject({ ok: true, gaps: [], beingWritten: { hours: [hourRange(hole)] } });
    const text = describeReport(report, store.location);
    expect(text).toContain(
      '1 hour(s) before the watermark are not covered yet, pulled by an ingest in progress: run run-a',
    );
    expect(text).not.toContain('re-pull');
  });

  it('calls those of a range run in progress a re-pull of older hours', async () => {
    const { store } = await lakeWithHole();
    await openDigest(store, 'run-a', 'range');

    const report = await verifyLake(store, 'acme', undefined, { nowMs: endedAt + 60_000 });

    expect(report.beingWritten?.runs.map((run) => run.mode)).toEqual(['range']);
    expect(describeReport(report, store.location)).toContain(
      '1 hour(s) before the watermark (a re-pull of older hours) are not covered yet',
    );
  });
});
