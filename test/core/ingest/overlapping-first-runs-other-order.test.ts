import { describe, expect, it } from 'vitest';
import { describe as describeRun } from '../../../functions/cli/commands/ingest.ts';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  advanceCheckpoint,
  advanceStoredCheckpoint,
  readCheckpoint,
} from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
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

// Two first runs overlapping, the run with fewer backfill days (B) writing its watermark first:
// the run with more (A) found a later watermark and kept it, stopped before it caught up, and the
// hours from where A stopped to B's first hour were read by neither run, nor by any run after.
// A now keeps its first unfinished hour in the checkpoint, B's advances keep it, and the next run
// pulls again from there.

const source = () => viewsSource(73);

const advanceB = (store: MemoryObjectStore, watermarkMs: number) =>
  advanceCheckpoint(store, 'acme', {
    watermarkMs,
    runId: 'run-B',
    codeVersion: 'x',
    now: NOW,
    planFromMs: B_FIRST,
  });

/** Run B's advances, made when A asks for its `nth` page; A is interrupted at page `stopAt`. */
class BesideRunB implements AuditSource {
  private pages = 0;
  constructor(
    private readonly inner: AuditSource,
    private readonly store: MemoryObjectStore,
    private readonly writes: Map<number, number>,
    private readonly stopAt: number,
    private readonly interrupt: AbortController,
  ) {}

  async fetchPage(query: AuditQuery, signal?: AbortSignal) {
    const atMs = this.writes.get(++this.pages);
    if (atMs !== undefined) await advanceB(this.store, atMs);
    if (this.pages === this.stopAt) this.interrupt.abort();
    return this.inner.fetchPage(query, signal);
  }
}

describe('a first run with more backfill days, passed by another first run', () => {
  it('keeps its first unfinished hour for the next run, which pulls the hours nobody read', async () => {
    const store = new MemoryObjectStore();
    const interrupt = new AbortController();
    const a = await runIngest(
      {
        ...quietIngestDeps(
          new BesideRunB(
            source(),
            store,
            new Map([
              [3, h(30)],
              [6, h(40)],
            ]),
            9,
            interrupt,
          ),
          store,
          NOW,
        ),
        interrupt: interrupt.signal,
      },
      { ...defaultIngestConfig('acme'), backfillDays: 3, concurrency: 1 },
      oneHourSpans,
    );
    expect(a).toMatchObject({ outcome: 'partial', stoppedEarly: 'interrupted', failures: [] });
    const passed = a.passedBy;
    expect(passed).toMatchObject({ watermarkMs: h(40), runId: 'run-B' });
    const retryFromMs = passed?.retryFromMs ?? 0;
    // Past the hours A read before B wrote, before B's first hour.
    expect(retryFromMs).toBeGreaterThan(h(2));
    expect(retryFromMs).toBeLessThan(B_FIRST);
    expect(describeRun(a, store.location, 0)).toContain(
      `warning: run run-B moved the watermark to 2026-10-02 16:00 UTC, past hours this run had not finished`,
    );

    // B catches up and finishes: its advances keep A's hour, which lies before its own first hour.
    await advanceB(store, h(72));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      watermark_ms: h(72),
      run_id: 'run-B',
      retry_from_ms: retryFromMs,
    });

    // The next run with a closed hour pulls again from A's hour, every hour to now, and clears it.
    const next = await runIngest(
      quietIngestDeps(source(), store, NOW + HOUR_MS),
      { ...defaultIngestConfig('acme'), backfillDays: 2, concurrency: 1 },
      oneHourSpans,
    );
    expect(next).toMatchObject({
      outcome: 'complete',
      windowsPlanned: (h(73) - retryFromMs) / HOUR_MS,
      windowsDone: (h(73) - retryFromMs) / HOUR_MS,
      watermarkAfterMs: h(73),
      passedBy: null,
    });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBeUndefined();
  });
});

describe('advanceStoredCheckpoint passed by another run', () => {
  const advance = (watermarkMs: number, planFromMs: number, retryFromMs?: number) => ({
    watermarkMs,
    runId: 'run-A',
    codeVersion: 'x',
    now: NOW,
    planFromMs,
    ...(retryFromMs === undefined ? {} : { retryFromMs }),
  });

  it('keeps the later watermark and its writer, and saves the run’s first unfinished hour', async () => {
    const store = new MemoryObjectStore();
    await advanceB(store, h(40));
    const stored = await advanceStoredCheckpoint(store, 'acme', advance(h(6), h(0)));
    expect(stored.checkpoint).toMatchObject({
      watermark_ms: h(40),
      run_id: 'run-B',
      plan_from_ms: B_FIRST,
      retry_from_ms: h(6),
    });
    // Its own unfinished lookback hour, when it has one, is the first it did not finish: lower.
    await advanceStoredCheckpoint(store, 'acme', advance(h(8), h(0), h(5)));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBe(h(5));
  });

  it('as the run goes, only sets or lowers the hour; its last write sets it exactly', async () => {
    const store = new MemoryObjectStore();
    await advanceB(store, h(40));
    await advanceStoredCheckpoint(store, 'acme', advance(h(6), h(0)));
    const puts = store.puts.length;
    for (let hour = 7; hour < 20; hour++)
      await advanceStoredCheckpoint(store, 'acme', advance(h(hour), h(0)));
    // No write per hour: two runs rewriting one object in turns failed on write conflicts.
    expect(store.puts).toHaveLength(puts);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBe(h(6));
    await advanceStoredCheckpoint(store, 'acme', { ...advance(h(19), h(0)), settle: true });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBe(h(19));
  });

  it('the other run keeps the hour; the run clears it once it read up to that run’s first hour', async () => {
    const store = new MemoryObjectStore();
    await advanceB(store, h(40));
    await advanceStoredCheckpoint(store, 'acme', advance(h(6), h(0)));
    await advanceB(store, h(41));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBe(h(6));
    // A caught up past B's first hour (B read every hour from there), with a lookback hour of its
    // own unfinished there too: its last write clears the hour, and B's next keeps it cleared.
    await advanceStoredCheckpoint(store, 'acme', { ...advance(h(30), h(0), h(29)), settle: true });
    await advanceB(store, h(42));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({ watermark_ms: h(42) });
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBeUndefined();
  });

  it('writes nothing under a watermark whose run read this run’s unfinished hours', async () => {
    const store = new MemoryObjectStore();
    // A scheduled run that started from this run's watermark, a lookback before it, and passed it.
    await storeCheckpoint(store, 'next-run', h(40), { planFromMs: h(4) });
    const puts = store.puts.length;
    await advanceStoredCheckpoint(store, 'acme', advance(h(6), h(0)));
    await advanceStoredCheckpoint(store, 'acme', { ...advance(h(7), h(0)), settle: true });
    expect(store.puts).toHaveLength(puts);
  });

  it('writes nothing under a watermark that does not say where its run began (a person’s, older code)', async () => {
    const store = new MemoryObjectStore();
    await storeCheckpoint(store, 'person', h(40));
    const puts = store.puts.length;
    await advanceStoredCheckpoint(store, 'acme', { ...advance(h(6), h(0)), settle: true });
    expect(store.puts).toHaveLength(puts);
  });

  it('writes nothing for a caller that gives no first hour', async () => {
    const store = new MemoryObjectStore();
    await advanceB(store, h(40));
    const puts = store.puts.length;
    await storeCheckpoint(store, 'run-A', h(6));
    expect(store.puts).toHaveLength(puts);
  });
});

describe('a run held by another run’s watermark before its first hour', () => {
  it('tries once more at its end, and moves the watermark when that run has passed its first hour', async () => {
    const store = new MemoryObjectStore();
    await storeCheckpoint(store, 'run-A', h(5));
    const writer = writerFor(store, 'run-B', B_FIRST);
    writer.advanceTo(h(72));
    await writer.settled();
    expect(writer.savedMs).toBe(h(5));
    // A passes B's first hour after B's last advance.
    await storeCheckpoint(store, 'run-A', h(30));
    await writer.saveRetryHour(h(72));
    expect(writer.savedMs).toBe(h(72));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(h(72));
  });
});

describe('a run passed by another run, at its end', () => {
  const writerOf = (store: MemoryObjectStore, failures: unknown[]) =>
    writerFor(store, 'run-A', h(0), { onFailure: (_at, error) => failures.push(error) });

  it('keeps its hours when it was passed before its first write (it finished no hour)', async () => {
    // Review R-SFC3: nothing seen, nothing saved, so its end wrote nothing and no run went back.
    const store = new MemoryObjectStore();
    const failures: unknown[] = [];
    const writer = writerOf(store, failures);
    await advanceB(store, h(40));
    await writer.saveRetryHour(h(0));
    expect(failures).toEqual([]);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      watermark_ms: h(40),
      retry_from_ms: h(0),
    });
  });

  it('does not fail on writes the other run keeps taking, and saves its hour at its end', async () => {
    // Review R-SFC3: the other run wrote every few ms; five lost tries failed the run, and its hold
    // was never saved.
    const store = new MemoryObjectStore();
    const failures: unknown[] = [];
    const writer = writerOf(store, failures);
    await advanceB(store, h(40));
    let busy = true;
    let other = 40;
    store.beforePut = async (key) => {
      if (busy && key === checkpointKey('acme')) {
        store.beforePut = undefined;
        await advanceB(store, h(++other));
        store.beforePut = before;
      }
    };
    const before = store.beforePut;
    writer.advanceTo(h(6));
    await writer.settled();
    expect(failures).toEqual([]);
    busy = false;
    await writer.saveRetryHour(h(7));
    expect(failures).toEqual([]);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBe(h(7));
  });
});
