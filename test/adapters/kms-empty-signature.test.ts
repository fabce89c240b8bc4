import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { KmsDigestSigner } from '../../functions/adapters/kms-digest-signer.ts';

// An empty signature would be stored beside the digest and only fail at verification, much later.
const kms = mockClient(KMSClient);
afterAll(() => kms.restore());

describe('KmsDigestSigner', () => {
  it('refuses an empty signature from KMS, naming the key', async () => {
    kms.on(SignCommand).resolves({ Signature: new Uint8Array() });
    const signer = new KmsDigestSigner(new KMSClient({ region: 'eu-west-1' }), 'alias/lake-digest');
    await expect(signer.sign(new Uint8Array([1, 2, 3]))).rejects.toThrow(
      /KMS returned no signature for key alias\/lake-digest/,
    );
  });
});
