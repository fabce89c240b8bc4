import type { ObjectStore } from '../ports.ts';
import { readDigests } from './digest-tail.ts';
import { digestKey } from './layout.ts';

/** The chain's last digest, not sealed: its key, its run, and when that run wrote it (its clock). */
export interface UnsealedChainEnd {
  key: string;
  runId: string;
  createdAt: string;
}

/**
 * The chain's last digest when it is not sealed: a run died (killed mid-write, a Lambda timeout)
 * or still runs, and the integrity check reports what it may have left until the next ingest
 * records it. Undefined when the chain ends sealed, has no digest, or its last digest does not
 * decode (the integrity check reports that). `head`: the number of the chain's last digest, as the
 * caller found it (readDigestHeadSequence; undefined: no digest).
 */
export async function unsealedChainEnd(
  store: ObjectStore,
  instance: string,
  head: number | undefined,
): Promise<UnsealedChainEnd | undefined> {
  if (head === undefined) return undefined;
  const [digest] = await readDigests(store, instance, [head]);
  if (digest === undefined || digest.sealed) return undefined;
  return { key: digestKey(instance, head), runId: digest.run_id, createdAt: digest.created_at };
}
