import { createHash } from 'node:crypto';
import type { ObjectStore } from '../ports.ts';
import { digestPrefix } from './layout.ts';
import { digestPublicKey } from './verify-integrity.ts';

/**
 * Which key the integrity check judged the signatures by, for the recipient of a report to compare
 * with a record the lake's operator cannot rewrite. The public key given and the lake both come
 * from that operator: a chain re-signed with another key passes against that key, so the check's
 * verdict says nothing until its key is matched to the stack's (review R-AUDIT H2).
 */
export interface SigningKeySeen {
  /**
   * The SHA-256 (hex) of the public key the signatures were checked against, as DER
   * SubjectPublicKeyInfo (the bytes KMS GetPublicKey returns, base64 decoded); absent when none was
   * given.
   */
  publicKeySha256?: string;
  /**
   * The `key_id` the signed digests name, each with how many name it, in the order first met. The
   * signature does not cover it: it says which key to fetch, not which key signed.
   */
  keyIds: { keyId: string; digests: number }[];
}

/**
 * The fingerprint of a public key (base64 DER SPKI): the SHA-256 of the key as DER re-encoded, so
 * the same key gives the same fingerprint whatever form it was handed over in, as
 * `openssl pkey -pubin -outform DER | openssl dgst -sha256` prints it.
 */
export function publicKeySha256(base64Der: string): string {
  const der = digestPublicKey(base64Der).export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex');
}

/**
 * `store` as it is, but noting the `key_id` of each digest of `instance` read through it: the
 * chain check reads every digest once, and a second pass for the key ids would read them all again
 * (a year of hourly runs is some 8,760 GETs). A digest read twice (the chain walked again as it
 * grew) counts once; one that is not JSON is the check's finding, and names no key here.
 */
export function noteDigestKeyIds(
  store: ObjectStore,
  instance: string,
): { store: ObjectStore; keyIds(): SigningKeySeen['keyIds'] } {
  const prefix = digestPrefix(instance);
  const keyIdOf = new Map<string, string>();
  const noting: ObjectStore = {
    location: store.location,
    get: async (key) => {
      const found = await store.get(key);
      if (found && key.startsWith(prefix)) {
        const keyId = signatureKeyId(found.body);
        if (keyId === undefined) keyIdOf.delete(key);
        else keyIdOf.set(key, keyId);
      }
      return found;
    },
    put: (key, body, options) => store.put(key, body, options),
    list: (listed, options) => store.list(listed, options),
    // Kept absent when the store has none: a caller then probes with `get`, which is noted too.
    ...(store.exists === undefined ? {} : { exists: store.exists.bind(store) }),
  };
  return {
    store: noting,
    keyIds() {
      const counts = new Map<string, number>();
      // In chain order: the reads finish in any order, and the numbers are zero-padded.
      for (const key of [...keyIdOf.keys()].sort()) {
        const keyId = keyIdOf.get(key) as string;
        counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
      }
      return [...counts].map(([keyId, digests]) => ({ keyId, digests }));
    },
  };
}

/** The `signature.key_id` of a stored digest; undefined when it has none or is not JSON. */
function signatureKeyId(body: Uint8Array): string | undefined {
  try {
    const keyId = JSON.parse(Buffer.from(body).toString('utf8'))?.signature?.key_id;
    return typeof keyId === 'string' ? keyId : undefined;
  } catch {
    return undefined;
  }
}
