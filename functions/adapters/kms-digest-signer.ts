import { createHash } from 'node:crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { DigestSigner } from '../core/lake/digest.ts';

/**
 * Signs digests with a KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY). The SHA-256 is computed
 * here and sent as `MessageType: DIGEST`: KMS refuses raw messages over 4 KB, and a digest of a
 * long backfill lists thousands of objects. KMS signs the hash as given, which is exactly what an
 * ECDSA_SHA_256 verification of the whole message checks, so `verify --integrity --public-key`
 * needs only the public key and the digest's bytes.
 */
export class KmsDigestSigner implements DigestSigner {
  constructor(
    private readonly client: KMSClient,
    /** Key id or ARN; recorded in each signature so a reader knows which public key to fetch. */
    readonly keyId: string,
  ) {}

  async sign(message: Uint8Array): Promise<Uint8Array> {
    const hash = createHash('sha256').update(message).digest();
    let signature: Uint8Array | undefined;
    try {
      ({ Signature: signature } = await this.client.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: hash,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ));
    } catch (error) {
      const { name, message: text } = error as Error;
      throw new Error(
        `KMS could not sign the digest with key ${this.keyId} (${name}: ${text}): check that the key is ` +
          'enabled and that this role may call kms:Sign on it (the stack grants it to each ingest role).',
      );
    }
    if (!signature || signature.byteLength === 0) {
      throw new Error(`KMS returned no signature for key ${this.keyId}`);
    }
    return signature;
  }
}

/** A KMS client for signing: a few attempts, bounded time (a digest waits on it before each checkpoint). */
export const createKmsClient = (): KMSClient =>
  new KMSClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  });
