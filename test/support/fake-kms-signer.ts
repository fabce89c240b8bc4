import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SignCommandInput } from '@aws-sdk/client-kms';

/**
 * What KMS does for `Sign` with an ECC_NIST_P256 key, `ECDSA_SHA_256` and `MessageType: DIGEST`:
 * an ECDSA signature of the 32 bytes given, taken as the hash (no hashing again), DER-encoded.
 * Node's crypto always hashes what it signs, so the curve arithmetic is done here, in bigints: a
 * test mock of KMS then proves that what the adapter sends, once signed, verifies offline against
 * the whole message.
 */

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

type Point = { x: bigint; y: bigint } | null;

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

function add(p: Point, q: Point): Point {
  if (p === null) return q;
  if (q === null) return p;
  if (p.x === q.x && mod(p.y + q.y, P) === 0n) return null;
  const slope =
    p.x === q.x && p.y === q.y
      ? mod((3n * p.x * p.x + A) * inverse(2n * p.y, P), P)
      : mod((q.y - p.y) * inverse(q.x - p.x, P), P);
  const x = mod(slope * slope - p.x - q.x, P);
  return { x, y: mod(slope * (p.x - x) - p.y, P) };
}

function multiply(k: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let rest = k; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

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
    const r = mod((multiply(k, G) as { x: bigint }).x, N);
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
