import type { ObjectStore } from '../ports.ts';
import { readDigests, tailSequences } from './digest-tail.ts';

/** Digests read from the chain's end besides its first: the runs of the last hours or so. */
const TAIL_DIGESTS = 16;

/**
 * Whether the digest chain shows an ingest run that planned its hours from the watermark (a
 * scheduled run, or `ingest` without `--from/--to`). A lake without a checkpoint that holds one was
 * not filled by ranges only: its schedule began and saved nothing (review R-CRASH F1). The head's
 * `checkpoint_seen` says it for the whole chain (review R-LOOKA F5: such a run after a range and
 * more than 16 range digests was missed). Chains written before that mark are read as before: the
 * first digest, the one a first run that died before its first checkpoint leaves, and the tail,
 * for such a run after ranges. Digests of older versions, which name no mode, show nothing; one
 * that does not decode is passed over (the integrity check reports it).
 */
export async function scheduledRunBegun(store: ObjectStore, instance: string): Promise<boolean> {
  const tail = await tailSequences(store, instance, TAIL_DIGESTS);
  if (tail.length === 0) return false;
  const [head] = await readDigests(store, instance, tail.slice(0, 1));
  if (head?.checkpoint_seen !== undefined) return head.checkpoint_seen;
  const digests = await readDigests(store, instance, [...new Set([0, ...tail.slice(1)])]);
  return [head, ...digests].some((digest) => digest?.mode === 'checkpoint');
}
