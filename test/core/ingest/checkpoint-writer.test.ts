import { describe, expect, it } from 'vitest';
import { CheckpointWriter } from '../../../functions/core/ingest/checkpoint-writer.ts';
import {
  advanceStoredCheckpoint,
  type CheckpointResetError,
  readCheckpoint,
  type StoredCheckpoint,
} from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import type { Sleep } from '../../../functions/core/ports.ts';
import { PreconditionFailedError, WriteInFlightError } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const h = (n: number) => Date.parse('2026-10-01T00:00:00Z') + n * HOUR_MS;

/** What the run tells the writer: its unfinished lookback hour, whether its digest opened, what it read. */
interface RunState {
  retryFromMs?: number;
  digestOpenFailed?: boolean;
  read?: StoredCheckpoint;
}

function writer(
  store: MemoryObjectStore,
  failures: { targetMs: number; error: unknown }[] = [],
  resets: CheckpointResetError[] = [],
  run: RunState = {},
  waits: { sleep: Sleep; random: () => number } = { sleep: async () => undefined, random: () => 0 },
) {
  return new CheckpointWriter({
    store,
    clock: { now: () => h(10) },
    ...waits,
    instance: 'acme',
    runId: 'run-1',
    codeVersion: 'test',
    read: run.read,
    onFailure: (targetMs, error) => failures.push({ targetMs, error }),
    onReset: (reset) => resets.push(reset),
    retryFromMs: () => run.retryFromMs,
    digestOpenFailed: async () => run.digestOpenFailed === true,
  });
}

describe('CheckpointWriter', () => {
  it("waits between tries of the run's last write through its sleep, spread by its random source", async () => {
    // Another run takes every write: the last one is tried four times, with a wait before each
    // try again, then reported. The waits were a real 50-250 ms timer and Math.random.
    const store = new MemoryObjectStore();
    store.beforePut = (key) => {
      throw new PreconditionFailedError(key);
    };
    const failures: { targetMs: number; error: unknown }[] = [];
    const waits: number[] = [];
    const randoms = [0, 0.5, 1];
    const checkpoint = writer(
      store,
      failures,
      [],
      { retryFromMs: h(2) },
      { sleep: async (ms) => void waits.push(ms), random: () => randoms.shift() ?? Number.NaN },
    );
    await checkpoint.saveRetryHour(h(5));
    expect(waits).toEqual([50, 150, 250]);
    expect(failures.map((f) => f.targetMs)).toEqual([h(5)]);
  });

  it('saves advances in order, each conditional on the ETag of the one before, without re-reading', async () => {
    const store = new MemoryObjectStore();
    const checkpoint = writer(store);
    expect(checkpoint.savedMs).toBeNull();
    checkpoint.advanceTo(h(1));
    checkpoint.advanceTo(h(2));
    checkpoint.advanceTo(h(3));
    await checkpoint.settled();
    expect(checkpoint.savedMs).toBe(h(3));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(h(3));
    expect(store.puts.map((p) => p.options.ifNoneMatch ?? 'if-match')).toEqual(['*', 'if-match', 'if-match']);
  });

  it('reports the first failed write once, writes nothing after it, and never rejects', async () => {
    const store = new MemoryObjectStore();
    store.beforePut = () => {
      throw new Error('access denied');
    };
    const failures: { targetMs: number; error: unknown }[] = [];
    const checkpoint = writer(store, failures);
    checkpoint.advanceTo(h(1));
    checkpoint.advanceTo(h(2));
    await expect(checkpoint.settled()).resolves.toBeUndefined();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.targetMs).toBe(h(1));
    expect(store.puts).toHaveLength(1);
    expect(store.objects.has(checkpointKey('acme'))).toBe(false);
  });

  it('takes an advance whose put kept meeting another in flight as a race, and saves it at the end', async () => {
    // The S3 store gives up on a put S3 answered 409 on every try (another run's put in flight).
    const store = new MemoryObjectStore();
    let inFlight = 1;
    store.beforePut = (key) => {
      if (inFlight-- > 0) throw new WriteInFlightError(key, 'another put of it in flight', { cause: 409 });
    };
    const failures: { targetMs: number; error: unknown }[] = [];
    const checkpoint = writer(store, failures);
    checkpoint.advanceTo(h(1));
    await checkpoint.settled();
    expect(failures).toEqual([]);
    await checkpoint.saveRetryHour(h(1));
    expect(failures).toEqual([]);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(h(1));
  });

  it('fails an advance at once when what met a put in flight was not the checkpoint but the digest before it', async () => {
    // A checkpoint put appends the run's digest first; that append giving up on S3's 409 is no race
    // the run's last write wins (the digest appends nothing after a failed append).
    const store = new MemoryObjectStore();
    const digest = 'digest/instance=acme/0000000001.json';
    store.beforePut = () => {
      throw new WriteInFlightError(digest, 'another put of the digest in flight', { cause: 409 });
    };
    const failures: { targetMs: number; error: unknown }[] = [];
    const checkpoint = writer(store, failures);
    checkpoint.advanceTo(h(1));
    checkpoint.advanceTo(h(2));
    await checkpoint.settled();
    expect(failures.map((f) => f.targetMs)).toEqual([h(1)]);
    expect(store.objects.has(checkpointKey('acme'))).toBe(false);
  });

  it('leaves a checkpoint deleted between two advances deleted, writes no more, and says so once', async () => {
    const store = new MemoryObjectStore();
    const failures: { targetMs: number; error: unknown }[] = [];
    const resets: CheckpointResetError[] = [];
    const checkpoint = writer(store, failures, resets);
    checkpoint.advanceTo(h(1));
    await checkpoint.settled();
    store.objects.delete(checkpointKey('acme')); // a person's delete, to backfill again
    checkpoint.advanceTo(h(2));
    checkpoint.advanceTo(h(3));
    await checkpoint.settled();
    expect(store.objects.has(checkpointKey('acme'))).toBe(false);
    expect(checkpoint.savedMs).toBeNull();
    expect(failures).toEqual([]);
    expect(resets.map((r) => r.message)).toEqual([
      'checkpoint state/instance=acme/checkpoint.json (watermark 2026-10-01T01:00:00.000Z) was deleted during the run; it is left deleted',
    ]);
    // The refused write, and nothing after it.
    expect(store.puts).toHaveLength(2);
  });

  describe("the checkpoint's unfinished lookback hour (retry_from_ms), decided by the writer", () => {
    const saved = async (store: MemoryObjectStore) => (await readCheckpoint(store, 'acme'))?.checkpoint;

    it('saves with every advance the hour as it is when the advance is asked for', async () => {
      const store = new MemoryObjectStore();
      const run: RunState = { retryFromMs: h(0) };
      const checkpoint = writer(store, [], [], run);
      checkpoint.advanceTo(h(2));
      run.retryFromMs = h(1); // asked for after the first advance: that one keeps h(0)
      await checkpoint.settled();
      expect(await saved(store)).toMatchObject({ watermark_ms: h(2), retry_from_ms: h(0) });
      checkpoint.advanceTo(h(3));
      run.retryFromMs = undefined;
      checkpoint.advanceTo(h(4));
      await checkpoint.settled();
      expect(store.puts).toHaveLength(3);
      expect(await saved(store)).not.toHaveProperty('retry_from_ms');
      expect(checkpoint.savedRetryFromMs).toBeUndefined();
    });

    it('leaves out an hour at or after the watermark written, which pulls it anyway', async () => {
      const store = new MemoryObjectStore();
      const failures: { targetMs: number; error: unknown }[] = [];
      const run: RunState = { retryFromMs: h(1) };
      const checkpoint = writer(store, failures, [], run);
      checkpoint.advanceTo(h(3));
      await checkpoint.settled();
      expect(await saved(store)).toMatchObject({ watermark_ms: h(3), retry_from_ms: h(1) });
      run.retryFromMs = h(4);
      checkpoint.advanceTo(h(4));
      await checkpoint.saveRetryHour(h(4));
      expect(failures).toEqual([]);
      expect(await saved(store)).toMatchObject({ watermark_ms: h(4) });
      expect(await saved(store)).not.toHaveProperty('retry_from_ms');
    });

    it('at the end of the run, saves the hour at the same watermark only when the checkpoint does not name it', async () => {
      const store = new MemoryObjectStore();
      const read = await advanceStoredCheckpoint(store, 'acme', {
        watermarkMs: h(3),
        runId: 'run-0',
        codeVersion: 'test',
        now: h(9),
      });
      const run: RunState = { retryFromMs: h(1), read };
      const checkpoint = writer(store, [], [], run);
      await checkpoint.saveRetryHour(null); // no watermark (range mode): nothing to save
      expect(store.puts).toHaveLength(1);
      await checkpoint.saveRetryHour(h(3));
      expect(await saved(store)).toMatchObject({ watermark_ms: h(3), retry_from_ms: h(1), run_id: 'run-1' });
      await checkpoint.saveRetryHour(h(3)); // named already: no write
      expect(store.puts).toHaveLength(2);
      run.retryFromMs = undefined; // finished after the last save: cleared
      await checkpoint.saveRetryHour(h(3));
      expect(store.puts).toHaveLength(3);
      expect(await saved(store)).not.toHaveProperty('retry_from_ms');
    });

    it('writes nothing, advance or end of run, when the run did not open its digest', async () => {
      const store = new MemoryObjectStore();
      const failures: { targetMs: number; error: unknown }[] = [];
      const checkpoint = writer(store, failures, [], { retryFromMs: h(1), digestOpenFailed: true });
      checkpoint.advanceTo(h(3));
      await checkpoint.settled();
      expect(store.puts).toEqual([]);
      await checkpoint.saveRetryHour(h(3));
      expect(store.puts).toEqual([]);
      expect(failures).toEqual([]);
      expect(checkpoint.savedMs).toBeNull();
    });
  });
});
