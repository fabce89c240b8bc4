import { describe, expect, it } from 'vitest';
import {
  type AppendDigestInput,
  appendDigest,
  decodeDigest,
  listDigestKeys,
  readDigestHead,
} from '../../../functions/core/lake/digest.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const input = (runId: string, mode?: 'checkpoint' | 'range'): AppendDigestInput => ({
  instance: 'acme',
  runId,
  createdAt: '2026-10-01T07:00:00.000Z',
  objects: [],
  sealed: true,
  fromMs: null,
  ...(mode ? { mode } : {}),
});

/** Each digest's `checkpoint_seen`, in chain order (undefined where it says nothing). */
async function marks(store: MemoryObjectStore): Promise<(boolean | undefined)[]> {
  const keys = await listDigestKeys(store, 'acme');
  return keys.map((key) => decodeDigest(key, store.objects.get(key)?.body as Uint8Array).checkpoint_seen);
}

// What lets `status` tell a lake whose schedule began from one filled by ranges only, however long
// the chain after that run (review R-LOOKA F5).
describe('the checkpoint-mode mark the digest chain carries', () => {
  it('is false until a checkpoint-mode run appends, then true for every digest after', async () => {
    const store = new MemoryObjectStore();
    for (const [run, mode] of [
      ['r0', 'range'],
      ['e1', undefined],
      ['c2', 'checkpoint'],
      ['r3', 'range'],
      ['e4', undefined],
    ] as const) {
      await appendDigest(store, input(run, mode));
    }
    expect(await marks(store)).toEqual([false, false, true, true, true]);
    expect((await readDigestHead(store, 'acme'))?.checkpointSeen).toBe(true);
  });

  it('is carried by the head a run appended itself and by one it read after losing a race', async () => {
    const store = new MemoryObjectStore();
    const own = await appendDigest(store, input('c0', 'checkpoint'));
    expect(own.checkpointSeen).toBe(true);
    // Another run takes the next number; ours, appending after the head it believed in, reads the new one.
    await appendDigest(store, input('r1', 'range'));
    await appendDigest(store, { ...input('r2', 'range'), head: { sequence: 0, link: own.link } });
    expect(await marks(store)).toEqual([true, true, true]);
  });

  it('is left unsaid after a digest of an older version, until a checkpoint-mode run', async () => {
    const store = new MemoryObjectStore();
    await appendDigest(store, input('r0', 'range'));
    // Written by a version before the mark: the same digest without it.
    const [key] = await listDigestKeys(store, 'acme');
    const old = decodeDigest(key as string, store.objects.get(key as string)?.body as Uint8Array);
    const { checkpoint_seen: _, ...withoutMark } = old;
    store.putNow(key as string, new TextEncoder().encode(`${JSON.stringify(withoutMark)}\n`));
    await appendDigest(store, input('r1', 'range'));
    await appendDigest(store, input('c2', 'checkpoint'));
    await appendDigest(store, input('r3', 'range'));
    expect(await marks(store)).toEqual([undefined, undefined, true, true]);
  });
});
