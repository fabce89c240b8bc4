import { createHash, createPublicKey, verify } from 'node:crypto';
import { KMSClient, KMSInvalidStateException, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { KmsDigestSigner } from '../../functions/adapters/kms-digest-signer.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../functions/core/lake/digest.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { fakeKmsKey } from '../support/fake-kms-signer.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';

const kms = mockClient(KMSClient);
const key = fakeKmsKey();
const signer = () => new KmsDigestSigner(new KMSClient({ region: 'eu-west-1' }), key.keyId);

beforeEach(() => {
  kms.reset();
  kms.on(SignCommand).callsFake((input) => key.sign(input));
});
afterAll(() => kms.restore());

describe('KmsDigestSigner', () => {
  it('sends the SHA-256 of the message as a DIGEST, so messages over KMS 4 KB raw limit sign too', async () => {
    const message = new TextEncoder().encode('x'.repeat(50_000));
    const signature = await signer().sign(message);
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toEqual({
      KeyId: key.keyId,
      Message: createHash('sha256').update(message).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    const publicKey = createPublicKey({
      key: Buffer.from(key.publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
    expect(verify('sha256', new TextEncoder().encode('y'), publicKey, signature)).toBe(false);
  });

  it('says which key failed and what to check when KMS refuses', async () => {
    kms.on(SignCommand).rejects(new KMSInvalidStateException({ message: 'key is disabled', $metadata: {} }));
    await expect(signer().sign(new Uint8Array([1]))).rejects.toThrow(
      `KMS could not sign the digest with key ${key.keyId} (KMSInvalidStateException: key is disabled): check that the key is enabled and that this role may call kms:Sign on it`,
    );
  });

  it('signs every digest of a run; verify --integrity checks them offline with the public key alone', async () => {
    const day0 = Date.parse('2026-10-01T00:00:00Z');
    const source = new MemoryAuditSource(
      Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 25 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    await runIngest(
      {
        ...noWaits,
        source,
        store,
        clock: { now: () => day0 + 6 * HOUR_MS },
        log: silentLog,
        metrics: { count() {} },
        digestSigner: signer(),
      },
      { ...defaultIngestConfig('acme'), backfillDays: 1 },
    );
    const report = await verifyIntegrity(store, 'acme', { publicKey: key.publicKeyBase64 });
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.digests).toBeGreaterThan(1);
    expect(report.signedDigests).toBe(report.digests);
    expect(kms.commandCalls(SignCommand)).toHaveLength(report.digests);
    const [first] = await listDigestKeys(store, 'acme');
    const digest = decodeDigest(first as string, store.objects.get(first as string)?.body as Uint8Array);
    expect(digest.signature).toMatchObject({ algorithm: 'ECDSA_SHA_256', key_id: key.keyId });
  });
});
