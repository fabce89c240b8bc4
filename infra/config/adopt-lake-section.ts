/**
 * `adoptLake`: the lake a destroyed stack of this project kept (its bucket, and the key that signed
 * its digest chain), for a stack deployed again to go on with instead of starting a new lake, chain
 * and checkpoint. Left out: the stack creates its own lake, as before (docs/operations.md,
 * "Adopting a kept lake").
 */
import * as z from 'zod';
import { KMS_KEY_ARN } from './instance-secret.ts';

/**
 * An S3 general purpose bucket name: 3-63 lower-case letters, digits, "." and "-", beginning and
 * ending with a letter or digit. Stricter rules (no "..", no IP address) are left to S3: a name
 * that breaks them names no bucket, and the deploy fails on it.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const adoptLakeSchema = z.strictObject(
  {
    /** The kept lake bucket: the old stack's `LakeBucketName` output. */
    bucketName: z.string({ error: 'must be the name of the kept lake bucket' }).regex(BUCKET_NAME, {
      error:
        'must be a bucket name such as "domoactivitylake-storagelake1a2b3c4d-5e6f7g8h9i0j" (3-63 lower-case letters, digits, "." and "-"), not an s3:// address or an ARN: the old stack\'s LakeBucketName output',
    }),
    /**
     * The kept digest signing key: the old stack's `DigestSigningKeyArn` output. Without it the
     * stack would sign the chain on with a new key, and no one public key would check it whole.
     */
    digestKeyArn: z
      .string({ error: "must be the ARN of the kept lake's digest signing key" })
      .regex(KMS_KEY_ARN, {
        error:
          'must be a KMS key ARN "arn:aws:kms:<region>:<account>:key/<key-id>": the old stack\'s DigestSigningKeyArn output',
      }),
  },
  {
    error:
      'must be an object such as { "bucketName": "<old LakeBucketName>", "digestKeyArn": "<old DigestSigningKeyArn>" }, or left out',
  },
);
