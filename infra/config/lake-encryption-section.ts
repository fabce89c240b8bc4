/**
 * `lakeEncryption`: the customer managed KMS key the lake and the Athena results are encrypted
 * with (SSE-KMS, bucket keys), for a company whose policy requires one, and the keys it was
 * encrypted with before, whose objects the stack must still read. Left out: SSE-S3, as before
 * (docs/configuration.md "Lake encryption").
 */
import * as z from 'zod';
import { KMS_KEY_ARN } from './instance-secret.ts';

/** The most retired keys: each is a statement's resource in three roles and the key watch's pattern. */
export const MAX_RETIRED_KEYS = 10;

const keyArn = (what: string) =>
  z.string({ error: `must be the ARN of the KMS key that ${what}` }).regex(KMS_KEY_ARN, {
    error:
      'must be a KMS key ARN "arn:aws:kms:<region>:<account>:key/<key-id>" (not an alias or a key id: the bucket policy and the grants name the key by its ARN); aws kms describe-key --key-id <alias> --query KeyMetadata.Arn turns an alias into it',
  });

export const lakeEncryptionSchema = z
  .strictObject(
    {
      /**
       * The key's ARN: an existing symmetric encryption key of the stack's region, whose policy lets
       * the account's IAM policies grant its use (docs/configuration.md, "Lake encryption"). Left
       * out beside `retiredKmsKeyArns`: new objects are SSE-S3 again.
       */
      kmsKeyArn: keyArn('encrypts the lake').optional(),
      /**
       * Keys the lake was encrypted with before (a `kmsKeyArn` moved off): the stack's roles keep
       * `kms:Decrypt` on each through S3, so the objects written under them stay readable. A key
       * the deployed stack names can leave only this way (`LakeKeyKept` refuses the deploy).
       */
      retiredKmsKeyArns: z
        .array(keyArn('encrypted the lake before'), { error: 'must be a list of KMS key ARNs' })
        .max(MAX_RETIRED_KEYS, {
          error: `must list at most ${MAX_RETIRED_KEYS} keys`,
        })
        .default([]),
    },
    {
      error:
        'must be an object such as { "kmsKeyArn": "arn:aws:kms:<region>:<account>:key/<key-id>" }, or left out',
    },
  )
  .superRefine((encryption, ctx) => {
    if (encryption.kmsKeyArn !== undefined && encryption.retiredKmsKeyArns.includes(encryption.kmsKeyArn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['retiredKmsKeyArns'],
        message: "names the key kmsKeyArn names: a key is either the lake's or retired; leave it out of one",
      });
    }
    if (encryption.kmsKeyArn === undefined && encryption.retiredKmsKeyArns.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['kmsKeyArn'],
        message:
          'is required unless retiredKmsKeyArns names a key: a lake once under a key keeps it, as kmsKeyArn or in retiredKmsKeyArns (docs/configuration.md, "Moving off the key")',
      });
    }
  });
