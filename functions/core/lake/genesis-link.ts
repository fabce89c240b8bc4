import { decodeDigest, sha256Hex } from './digest.ts';
import { digestKey } from './layout.ts';

/**
 * Whether digest 1 (`nextBody`) names other bytes than digest 0's (`genesisBody`) by its
 * `previous` SHA-256: digest 0 edited or replaced, so the start its `from_ms` gives cannot be
 * trusted (review STATUS7). False when digest 1 is absent or does not decode (not judged here:
 * the integrity check reports it).
 */
export function nextNamesOther(
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
