import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const h = (hour: number) => Date.parse('2026-10-01T00:00:00Z') + hour * 3_600_000;
const step = (watermarkMs: number, retryFromMs?: number) => ({
  watermarkMs,
  runId: 'run-1',
  codeVersion: '1.2.3',
  now: Date.parse('2026-10-02T12:00:00Z'),
  ...(retryFromMs === undefined ? {} : { retryFromMs }),
});

// `retry_from_ms` names a lookback hour a run left unfinished, for the next run to pull again.
describe("a checkpoint's unfinished hour to retry", () => {
  it('is written at the same watermark when it changes, and cleared', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(5)));
    await advanceCheckpoint(store, 'acme', step(h(5), h(3)));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint).toMatchObject({
      watermark_ms: h(5),
      retry_from_ms: h(3),
    });
    await advanceCheckpoint(store, 'acme', step(h(5), h(3)));
    expect(store.puts).toHaveLength(2);
    await advanceCheckpoint(store, 'acme', step(h(5)));
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.retry_from_ms).toBeUndefined();
    expect(store.puts).toHaveLength(3);
  });

  it('is refused at or after the watermark, when read and when written', async () => {
    const store = new MemoryObjectStore();
    await expect(advanceCheckpoint(store, 'acme', step(h(5), h(5)))).rejects.toThrow(
      /retryFromMs must be a whole hour before watermarkMs/,
    );
    await advanceCheckpoint(store, 'acme', step(h(5), h(4)));
    const stored = JSON.parse(new TextDecoder().decode(store.objects.get(checkpointKey('acme'))?.body));
    store.putNow(
      checkpointKey('acme'),
      new TextEncoder().encode(JSON.stringify({ ...stored, retry_from_ms: h(6) })),
    );
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(
      /retry_from_ms .* is not before watermark_ms .*Delete the field/,
    );
  });
});
