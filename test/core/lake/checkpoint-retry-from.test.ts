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

  it('is refused at or after the watermark when written', async () => {
    const store = new MemoryObjectStore();
    await expect(advanceCheckpoint(store, 'acme', step(h(5), h(5)))).rejects.toThrow(
      /retryFromMs must be a whole hour before watermarkMs/,
    );
    expect(store.puts).toHaveLength(0);
  });

  // A person moving the watermark back (operations.md "Resetting the checkpoint") to or before the
  // held hour leaves the field behind: the moved watermark pulls that hour anyway.
  it.each([
    ['at', h(4)],
    ['after', h(3)],
  ])('is ignored when read %s the watermark, which was moved back by hand', async (_where, watermarkMs) => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(5), h(4)));
    const stored = JSON.parse(new TextDecoder().decode(store.objects.get(checkpointKey('acme'))?.body));
    const movedBack = {
      ...stored,
      watermark_ms: watermarkMs,
      watermark: new Date(watermarkMs).toISOString(),
    };
    store.putNow(checkpointKey('acme'), new TextEncoder().encode(JSON.stringify(movedBack)));

    const read = await readCheckpoint(store, 'acme');
    expect(read?.checkpoint).toMatchObject({ watermark_ms: watermarkMs });
    expect(read?.checkpoint).not.toHaveProperty('retry_from_ms');
    // The next move writes it out of the file.
    await advanceCheckpoint(store, 'acme', step(h(6)), read);
    const written = JSON.parse(new TextDecoder().decode(store.objects.get(checkpointKey('acme'))?.body));
    expect(written).toMatchObject({ watermark_ms: h(6) });
    expect(written).not.toHaveProperty('retry_from_ms');
  });
});
