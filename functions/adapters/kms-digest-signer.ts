import { createHash } from 'node:crypto';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { DigestSigner } from '../core/lake/digest.ts';
import { SDK_HTTP_BOUNDS, type SdkHttpBounds, sdkRequestHandler } from './sdk-http.ts';

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

/** Longest one Sign attempt may take, connection included (Sign answers in milliseconds). */
const KMS_REQUEST_TIMEOUT_MS = 10_000;

/**
 * A KMS client for signing: a few attempts, bounded time (a digest waits on it before each
 * checkpoint). Sign has no side effect, so an attempt cut short is safely retried.
 * `throwOnRequestTimeout` makes the request bound an error: without it the SDK only logs a warning.
 */
export const createKmsClient = ({
  bounds = SDK_HTTP_BOUNDS,
  requestTimeoutMs = KMS_REQUEST_TIMEOUT_MS,
}: {
  bounds?: SdkHttpBounds;
  requestTimeoutMs?: number;
} = {}): KMSClient =>
  new KMSClient({
    maxAttempts: 3,
    requestHandler: {
      ...sdkRequestHandler(bounds),
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
