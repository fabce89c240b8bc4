import type { ObjectStore } from '../ports.ts';
import { type Digest, decodeDigest, readDigestHeadSequence } from './digest.ts';
import { digestKey } from './layout.ts';

/**
 * The numbers of the chain's last `count` digests, newest first; none for an empty chain. `hint`:
 * a digest number known to the caller, where the search for the head starts when it is there.
 */
export async function tailSequences(
  store: ObjectStore,
  instance: string,
  count: number,
  hint?: number,
): Promise<number[]> {
  const head = await readDigestHeadSequence(store, instance, hint);
  if (head === undefined) return [];
  return Array.from({ length: Math.min(count, head + 1) }, (_, at) => head - at);
}

/**
 * The digests numbered `sequences`, decoded, in one batch of GETs, in the order asked: undefined
 * for one missing or not a digest (the integrity check reports those; a reader of the chain's end
 * only passes over them).
 */
export async function readDigests(
  store: ObjectStore,
  instance: string,
  sequences: readonly number[],
): Promise<(Digest | undefined)[]> {
  const stored = await Promise.all(sequences.map((sequence) => store.get(digestKey(instance, sequence))));
  return sequences.map((sequence, at) => {
    const body = stored[at]?.body;
    if (body === undefined) return undefined;
    try {
      return decodeDigest(digestKey(instance, sequence), body);
    } catch {
      return undefined;
    }
  });
}
