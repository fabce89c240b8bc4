import { createPublicKey, type KeyObject } from 'node:crypto';
import { errorMessage } from '../error-message.ts';

/**
 * The public key for signature checks: base64 DER SubjectPublicKeyInfo (what KMS GetPublicKey
 * returns), a P-256 key. Throws a message saying what is wrong with it.
 */
export function digestPublicKey(base64Der: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(`the digest public key is not a DER SubjectPublicKeyInfo: ${errorMessage(error)}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(
      `the digest public key is a ${key.asymmetricKeyType} key, not an ECC_NIST_P256 one: use the stack's digest signing key`,
    );
  }
  return key;
}
