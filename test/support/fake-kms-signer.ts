import { createECDH, createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SignCommandInput } from '@aws-sdk/client-kms';
import type { DigestSigner } from '../../functions/core/lake/digest.ts';

/**
 * What KMS does for `Sign` with an ECC_NIST_P256 key, `ECDSA_SHA_256` and `MessageType: DIGEST`:
 * an ECDSA signature of the 32 bytes given, taken as the hash (no hashing again), DER-encoded.
 * Node's crypto always hashes what it signs, so the signature is assembled here: the curve point
 * k·G comes from Node's ECDH (the public key of the private scalar k), the rest is modular
 * arithmetic in bigints. A test mock of KMS then proves that what the adapter sends, once signed,
 * verifies offline against the whole message.
 */

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/** The x coordinate of k·G on P-256. */
function xOfMultipleOfG(k: bigint): bigint {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));
  // Uncompressed point: 0x04, then x and y of 32 bytes each.
  return toBigInt(ecdh.getPublicKey().subarray(1, 33));
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** An ECDSA P-256 signature (DER) of a 32-byte hash with the private scalar `d`. */
export function signPrehashed(hash: Uint8Array, d: bigint): Uint8Array {
  const z = toBigInt(hash);
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), N - 1n) + 1n;
    const r = mod(xOfMultipleOfG(k), N);
    const s = mod(inverse(k, N) * (z + r * d), N);
    if (r === 0n || s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
}

export interface FakeKmsKey {
  keyId: string;
  /** The public key as KMS GetPublicKey returns it: base64 DER SubjectPublicKeyInfo. */
  publicKeyBase64: string;
  publicKeyPem: string;
  /** Answers a `SignCommand` like KMS, refusing what KMS would refuse for this key. */
  sign(input: SignCommandInput): { KeyId: string; Signature: Uint8Array; SigningAlgorithm: 'ECDSA_SHA_256' };
}

export function fakeKmsKey(keyId = 'arn:aws:kms:eu-west-1:123456789012:key/digest-test'): FakeKmsKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const d = toBigInt(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url'));
  return {
    keyId,
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign(input) {
      if (input.KeyId !== keyId) throw new Error(`NotFoundException: key ${input.KeyId}`);
      if (input.SigningAlgorithm !== 'ECDSA_SHA_256') throw new Error('InvalidKeyUsageException');
      const message = input.Message ?? new Uint8Array();
      const hash = input.MessageType === 'DIGEST' ? message : createHash('sha256').update(message).digest();
      if (input.MessageType !== 'DIGEST' && message.byteLength > 4096) {
        throw new Error('ValidationException: Message must be 4096 bytes or less');
      }
      if (hash.byteLength !== 32) throw new Error('ValidationException: a SHA-256 digest is 32 bytes');
      return { KeyId: keyId, Signature: signPrehashed(hash, d), SigningAlgorithm: 'ECDSA_SHA_256' };
    },
  };
}

/**
 * Signs digests with `key` as the product does (adapters/kms-digest-signer.ts): their SHA-256, sent
 * as `MessageType: DIGEST`. Signed raw, a digest over KMS's 4 KB limit fails its run: a test's
 * lake that grows its digests (a run's look back listing more intents) then breaks unrelated tests.
 */
export const digestSignerOf = (key: FakeKmsKey): DigestSigner => ({
  keyId: key.keyId,
  sign: async (message) =>
    key.sign({
      KeyId: key.keyId,
      Message: createHash('sha256').update(message).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }).Signature,
});
