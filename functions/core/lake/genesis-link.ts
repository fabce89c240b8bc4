import type { ObjectStore, StoredObject } from '../ports.ts';
import { type Digest, decodeDigest, sha256Hex } from './digest.ts';
import { digestKey } from './layout.ts';

/**
 * Whether digest `sequence` (`body`) names other bytes than `previous`'s by its `previous` SHA-256.
 * False when it does not decode or names none (not judged here: the integrity check reports it).
 */
function namesOther(instance: string, sequence: number, body: Uint8Array, previous: Uint8Array): boolean {
  try {
    const link = decodeDigest(digestKey(instance, sequence), body).previous?.sha256;
    return link !== undefined && link !== sha256Hex(previous);
  } catch {
    return false;
  }
}

/**
 * Whether digest `sequence` (`stored`) is out of the chain: gone while the next is there, not the
 * one the next names (edited or replaced, review STATUS7), or, past digest 0, naming other bytes
 * than the digest before it or with that one gone (an edit or deletion there may have hidden an
 * earlier digest a search would have stopped at). A missing neighbour at the chain's end, or one
 * that does not decode, is not judged (the integrity check reports the latter).
 */
function unlinkedOf(
  instance: string,
  sequence: number,
  [before, stored, next]: readonly (StoredObject | undefined)[],
): boolean {
  if (!stored) return next !== undefined;
  if (next && namesOther(instance, sequence + 1, next.body, stored.body)) return true;
  if (sequence === 0) return false;
  return !before || namesOther(instance, sequence, stored.body, before.body);
}

/**
 * Digest `sequence` of the chain (undefined when there is none or it does not decode: the integrity
 * check reports the latter), and whether it is `unlinked` from the digests beside it
 * ({@link unlinkedOf}): a start read from it cannot then be trusted. The GETs of it and its
 * neighbours (two for digest 0, three past it) side by side. What verify and status take the
 * lake's start from (digest 0), and status the schedule's (the first digest of a scheduled run).
 */
export async function readLinkedDigest(
  store: ObjectStore,
  instance: string,
  sequence: number,
): Promise<{ digest: Digest | undefined; unlinked: boolean }> {
  const key = digestKey(instance, sequence);
  const read = await Promise.all(
    [sequence - 1, sequence, sequence + 1].map((at) =>
      at < 0 ? undefined : store.get(digestKey(instance, at)),
    ),
  );
  const unlinked = unlinkedOf(instance, sequence, read);
  const body = read[1]?.body;
  if (body === undefined) return { digest: undefined, unlinked };
  try {
    return { digest: decodeDigest(key, body), unlinked };
  } catch {
    return { digest: undefined, unlinked };
  }
}
