import type { ObjectStore } from '../ports.ts';
import { type Digest, decodeDigest, sha256Hex } from './digest.ts';
import { digestKey } from './layout.ts';

/**
 * Whether digest 1 (`nextBody`) names other bytes than digest 0's (`genesisBody`) by its
 * `previous` SHA-256: digest 0 edited or replaced, so the start its `from_ms` gives cannot be
 * trusted (review STATUS7). False when digest 1 is absent or does not decode (not judged here:
 * the integrity check reports it).
 */
function nextNamesOther(
  instance: string,
  genesisBody: Uint8Array,
  nextBody: Uint8Array | undefined,
): boolean {
  if (nextBody === undefined) return false;
  try {
    const link = decodeDigest(digestKey(instance, 1), nextBody).previous?.sha256;
    return link !== undefined && link !== sha256Hex(genesisBody);
  } catch {
    return false;
  }
}

/**
 * The chain's first digest (undefined when there is none or it does not decode: the integrity
 * check reports the latter), and whether it is `unlinked`: gone while digest 1 is there, or not
 * the one digest 1 names. Two GETs, digests 0 and 1, side by side; what verify and status take
 * the lake's start from.
 */
export async function readChainFirst(
  store: ObjectStore,
  instance: string,
): Promise<{ first: Digest | undefined; unlinked: boolean }> {
  const key = digestKey(instance, 0);
  const [genesis, next] = await Promise.all([store.get(key), store.get(digestKey(instance, 1))]);
  // Gone while the next is there: deleted, and its start with it.
  if (!genesis) return { first: undefined, unlinked: next !== undefined };
  const unlinked = nextNamesOther(instance, genesis.body, next?.body);
  try {
    return { first: decodeDigest(key, genesis.body), unlinked };
  } catch {
    return { first: undefined, unlinked };
  }
}
