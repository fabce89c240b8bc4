import type { ObjectStore } from '../ports.ts';
import { readDigests, tailSequences } from './digest-tail.ts';

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
  const tail = await tailSequences(store, instance, TAIL_DIGESTS);
  if (tail.length === 0) return false;
  const digests = await readDigests(store, instance, [...new Set([0, ...tail])]);
  return digests.some((digest) => digest?.mode === 'checkpoint');
}
