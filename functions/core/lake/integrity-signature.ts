/**
 * One digest's signature: its shape checked without a key, and with the public key whether that key
 * signed the digest's bytes; signing, once begun, must go on.
 */
import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { errorMessage } from '../error-message.ts';
import { type Digest, storedSignedBytes } from './digest.ts';
import type { ChainIndex } from './integrity-chain-index.ts';

/**
 * Whether `value` (base64) has the shape of a DER ECDSA signature: a SEQUENCE of two INTEGERs.
 * Checked without the key, so garbage in the signature field is found even then.
 */
function looksLikeDerSignature(value: string): boolean {
  const der = Buffer.from(value, 'base64');
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[2] !== 0x02) return false;
  const second = 4 + (der[3] ?? 0);
  return der[second] === 0x02 && second + 2 + (der[second + 1] ?? 0) === der.length;
}

/**
 * Checks one digest's signature. Its findings carry the digest's sha256: accepted, they hold for
 * those bytes only, not for whatever is later written at the key (a forger's edit of an unsigned
 * head would otherwise pass as the finding accepted before). Returns whether the key given signed it.
 */
export function checkSignature(
  index: ChainIndex,
  key: string,
  digest: Digest,
  stored: { body: Uint8Array; sha256: string },
  publicKey?: KeyObject,
): boolean {
  const { body, sha256 } = stored;
  // The bytes named, so that one rewritten after its finding was accepted shows as other bytes.
  const digestBytes = `the digest (sha256 ${sha256.slice(0, 12)}…)`;
  if (!digest.signature) {
    // Signing, once begun, goes on: the command line signs with the key of the chain's last digest.
    // That takes no key to see, so it is checked without one too.
    if (index.report.signedDigests > 0) {
      index.problem(
        'unsigned',
        key,
        `${digestBytes} carries no signature, but a digest before it did`,
        sha256,
      );
    } else if (publicKey !== undefined) index.report.unsignedBeforeSigning++;
    return false;
  }
  index.report.signedDigests++;
  index.signingKeyIds.set(key, digest.signature.key_id);
  if (publicKey === undefined) {
    if (!looksLikeDerSignature(digest.signature.value)) {
      index.problem(
        'bad-signature',
        key,
        `the signature of ${digestBytes} is not a DER ECDSA signature: it cannot be valid`,
        sha256,
      );
    }
    return false;
  }
  let valid = false;
  try {
    valid = verifySignature(
      'sha256',
      storedSignedBytes(body),
      publicKey,
      Buffer.from(digest.signature.value, 'base64'),
    );
  } catch (error) {
    index.problem(
      'bad-signature',
      key,
      `the signature of ${digestBytes} could not be checked: ${errorMessage(error)}`,
      sha256,
    );
    return false;
  }
  if (!valid)
    index.problem(
      'bad-signature',
      key,
      `the signature does not match ${digestBytes} and the public key`,
      sha256,
    );
  return valid;
}
