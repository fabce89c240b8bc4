import { describe, expect, it } from 'vitest';
import { describe as describeRun } from '../../../functions/cli/commands/ingest.ts';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  advanceCheckpoint,
  advanceStoredCheckpoint,
  CheckpointBehindPlanError,
  CheckpointResetError,
  readCheckpoint,
} from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import {
  B_FIRST,
  h,
  NOW,
  oneHourSpans,
  storeCheckpoint,
  viewsSource,
  writerFor,
} from '../../support/two-first-runs.ts';

// Two first runs overlapping: A (11 days of backfill) wrote its watermark W_A, B (2 days) started
// meanwhile and moved the watermark from W_A to now, skipping the hours from W_A to B's first
// hour: no scheduled run read them again. B now keeps W_A, says so, and the next run continues
// from it.

const config = { ...defaultIngestConfig('acme'), backfillDays: 2, concurrency: 1 };
/** B's first hour: two days of backfill before now. */
const planFromMs = B_FIRST;

/** Writes run A's checkpoint at `atMs` when B reads its `nth` page (B planned without one). */
class OtherRunSource implements AuditSource {
  private pages = 0;
  constructor(
    private readonly inner: AuditSource,
    private readonly store: MemoryObjectStore,
    private readonly writes: Map<number, number>,
  ) {}

  async fetchPage(query: AuditQuery, signal?: AbortSignal) {
    const atMs = this.writes.get(++this.pages);
    if (atMs !== undefined)
      await advanceCheckpoint(this.store, 'acme', {
        watermarkMs: atMs,
        runId: 'run-A',
        codeVersion: 'x',
        now: NOW,
      });
    return this.inner.fetchPage(query, signal);
  }
}

const source = () => viewsSource(72);

describe('a first run beside another first run with more backfill days', () => {
  it('keeps the other run’s watermark before its first hour, says so, and the next run continues from it', async () => {
    const store = new MemoryObjectStore();
    const withA = new OtherRunSource(source(), store, new Map([[1, h(5)]]));
    const b = await runIngest(quietIngestDeps(withA, store, NOW), config, oneHourSpans);
    expect(b).toMatchObject({
      watermarkBeforeMs: null,
      watermarkAfterMs: h(5),
      watermarkHeld: { atMs: h(5), runId: 'run-A', planFromMs },
      outcome: 'partial',
      failures: [],
      windowsDone: 48,
    });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      watermark_ms: h(5),
      run_id: 'run-A',
    });
    const text = describeRun(b, store.location, 0);
    expect(text).toContain('warning: watermark kept at 2026-10-01 05:00 UTC');
    expect(text).toContain('the next ingest without --from/--to continues from 2026-10-01 05:00 UTC');

    // The next run pulls the hours nobody read, and moves the watermark to now.
    const c = await runIngest(quietIngestDeps(source(), store, NOW), config, oneHourSpans);
    expect(c).toMatchObject({
      watermarkBeforeMs: h(5),
      watermarkAfterMs: h(72),
      outcome: 'complete',
      watermarkHeld: null,
    });
  });

  it('moves the watermark once the other run has passed its first hour', async () => {
    const store = new MemoryObjectStore();
    const withA = new OtherRunSource(
      source(),
      store,
      new Map([
        [1, h(5)],
        [10, planFromMs],
      ]),
    );
    const b = await runIngest(quietIngestDeps(withA, store, NOW), config, oneHourSpans);
    expect(b).toMatchObject({
      watermarkAfterMs: h(72),
      watermarkHeld: null,
      outcome: 'complete',
      failures: [],
    });
  });

  it('a normal run, its first hour in its lookback before the watermark, moves it as before', async () => {
    const store = new MemoryObjectStore();
    await storeCheckpoint(store, 'before', h(60));
    const b = await runIngest(quietIngestDeps(source(), store, NOW), config, oneHourSpans);
    expect(b).toMatchObject({
      watermarkBeforeMs: h(60),
      watermarkAfterMs: h(72),
      watermarkHeld: null,
      outcome: 'complete',
    });
  });
});

describe('advanceStoredCheckpoint with the run’s first hour', () => {
  const advance = (watermarkMs: number, planFrom: number) => ({
    watermarkMs,
    runId: 'run-B',
    codeVersion: 'x',
    now: NOW,
    planFromMs: planFrom,
  });

  it('refuses to move a stored watermark before the first hour past it, and writes nothing', async () => {
    const store = new MemoryObjectStore();
    await storeCheckpoint(store, 'run-A', h(5));
    const puts = store.puts.length;
    const refused = await advanceStoredCheckpoint(store, 'acme', advance(h(30), h(24))).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(CheckpointBehindPlanError);
    expect((refused as CheckpointBehindPlanError).message).toContain(
      "is at 2026-10-01T05:00:00.000Z, before this run's first hour 2026-10-02T00:00:00.000Z",
    );
    expect(store.puts).toHaveLength(puts);
  });

  it('moves one at or after the first hour, and writes a first one', async () => {
    const store = new MemoryObjectStore();
    await advanceStoredCheckpoint(store, 'acme', advance(h(30), h(24)));
    await advanceStoredCheckpoint(store, 'acme', advance(h(31), h(30)));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(h(31));
  });

  it('still reports a person’s reset as one, before the first hour or not', async () => {
    const store = new MemoryObjectStore();
    const read = await advanceStoredCheckpoint(store, 'acme', advance(h(30), h(24)));
    store.objects.delete(checkpointKey('acme'));
    await storeCheckpoint(store, 'person', h(2));
    await expect(advanceStoredCheckpoint(store, 'acme', advance(h(31), h(24)), read)).rejects.toBeInstanceOf(
      CheckpointResetError,
    );
  });

  it('the writer keeps the stored checkpoint, tells of each refusal, and writes once it may', async () => {
    const store = new MemoryObjectStore();
    await storeCheckpoint(store, 'run-A', h(5));
    const held: CheckpointBehindPlanError[] = [];
    const writer = writerFor(store, 'run-B', h(24), { onBehindPlan: (error) => held.push(error) });
    writer.advanceTo(h(25));
    writer.advanceTo(h(26));
    await writer.settled();
    expect(held.map((e) => e.current.checkpoint.watermark_ms)).toEqual([h(5), h(5)]);
    expect(writer.savedMs).toBe(h(5));
    await storeCheckpoint(store, 'run-A', h(24));
    writer.advanceTo(h(27));
    await writer.settled();
    expect(writer.savedMs).toBe(h(27));
    expect(held).toHaveLength(2);
  });
});
