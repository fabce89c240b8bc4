import type { ObjectStore } from '../ports.ts';
import { decodeDigest, readDigestHeadSequence } from './digest.ts';
import { digestKey } from './layout.ts';

/** Digests read from the chain's end besides its first: the runs of the last hours or so. */
const TAIL_DIGESTS = 16;

/**
 * Whether the digest chain shows an ingest run that planned its hours from the watermark (a
 * scheduled run, or `ingest` without `--from/--to`): its first digest, the one a first run that
 * died before its first checkpoint leaves, and the tail, for such a run after ranges. A lake
 * without a checkpoint that holds one was not filled by ranges only: its schedule began and saved
 * nothing (review R-CRASH F1). Digests of older versions, which name no mode, show nothing; one
 * that does not decode is passed over (the integrity check reports it).
 */
export async function scheduledRunBegun(store: ObjectStore, instance: string): Promise<boolean> {
  const head = await readDigestHeadSequence(store, instance);
  if (head === undefined) return false;
  const tail = Array.from({ length: Math.min(TAIL_DIGESTS, head + 1) }, (_, at) => head - at);
  const numbers = [...new Set([0, ...tail])];
  const stored = await Promise.all(numbers.map((sequence) => store.get(digestKey(instance, sequence))));
  return numbers.some((sequence, at) => {
    const body = stored[at]?.body;
    if (body === undefined) return false;
    try {
      return decodeDigest(digestKey(instance, sequence), body).mode === 'checkpoint';
    } catch {
      return false;
    }
  });
}
