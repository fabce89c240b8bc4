import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CheckpointWriter } from '../../../functions/core/ingest/checkpoint-writer.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { deferred } from '../../support/deferred.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

// A checkpoint write flushes the run's digest first, which needs the digest's opening; a run whose
// opening failed wrote nothing and must leave the checkpoint as it was. An advance asked for while
// the opening is still in progress (the first hour landed as the opening's sweep goes on) cannot
// know yet which it is: it waits for the opening, then writes, or not.

const h = (n: number) => Date.parse('2026-10-01T00:00:00Z') + n * HOUR_MS;

/** A writer whose run's digest opening is in progress until `opened` settles it, failed or not. */
function duringOpening(store: MemoryObjectStore) {
  const opening = deferred();
  let failed = false;
  const checkpoint = new CheckpointWriter({
    store,
    clock: { now: () => h(10) },
    instance: 'acme',
    runId: 'run-1',
    codeVersion: 'test',
    read: undefined,
    onFailure: () => {},
    onReset: () => {},
    retryFromMs: () => undefined,
    sleep: async () => undefined,
    random: () => 0,
    // As DigestRecorder.openFailed: settles once the opening has.
    digestOpenFailed: () => opening.promise.then(() => failed),
  });
  const opened = (ok: boolean) => {
    failed = !ok;
    opening.resolve();
  };
  return { checkpoint, opened };
}

/** Lets every write that does not wait on the opening run to its end (the memory store is prompt). */
async function settleAllElse(): Promise<void> {
  for (let i = 0; i < 20; i++) await tick();
}

describe('CheckpointWriter: an advance asked for while the digest is opening', () => {
  it('is written only once the opening has succeeded', async () => {
    const store = new MemoryObjectStore();
    const { checkpoint, opened } = duringOpening(store);
    checkpoint.advanceTo(h(2));
    await settleAllElse();
    expect(store.puts).toHaveLength(0);
    opened(true);
    await checkpoint.settled();
    expect(store.puts).toHaveLength(1);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(h(2));
  });

  it('is never written when the opening then fails', async () => {
    const store = new MemoryObjectStore();
    const { checkpoint, opened } = duringOpening(store);
    checkpoint.advanceTo(h(2));
    await settleAllElse();
    opened(false);
    await checkpoint.saveRetryHour(h(2));
    expect(store.puts).toHaveLength(0);
    expect(await readCheckpoint(store, 'acme')).toBeUndefined();
    expect(checkpoint.savedMs).toBeNull();
  });
});
