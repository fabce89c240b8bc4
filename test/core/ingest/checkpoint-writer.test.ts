import { describe, expect, it } from 'vitest';
import { CheckpointWriter } from '../../../functions/core/ingest/checkpoint-writer.ts';
import { type CheckpointResetError, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const h = (n: number) => Date.parse('2026-10-01T00:00:00Z') + n * HOUR_MS;

function writer(
  store: MemoryObjectStore,
  failures: { targetMs: number; error: unknown }[] = [],
  resets: CheckpointResetError[] = [],
) {
  return new CheckpointWriter({
    store,
    clock: { now: () => h(10) },
    instance: 'acme',
    runId: 'run-1',
    codeVersion: 'test',
    read: undefined,
    onFailure: (targetMs, error) => failures.push({ targetMs, error }),
    onReset: (reset) => resets.push(reset),
  });
}

describe('CheckpointWriter', () => {
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
});
