import { createHash } from 'node:crypto';
import { digestPublicKey } from './digest-public-key.ts';

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
