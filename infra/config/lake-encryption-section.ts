/**
 * `lakeEncryption`: the customer managed KMS key the lake and the Athena results are encrypted
 * with (SSE-KMS, bucket keys), for a company whose policy requires one. Left out: SSE-S3, as
 * before (docs/configuration.md "Lake encryption").
 */
import * as z from 'zod';
import { KMS_KEY_ARN } from './instance-secret.ts';

export const lakeEncryptionSchema = z.strictObject(
  {
    /**
     * The key's ARN: an existing symmetric encryption key of the stack's region, whose policy lets
     * the account's IAM policies grant its use (docs/configuration.md, "Lake encryption").
     */
    kmsKeyArn: z
      .string({ error: 'must be the ARN of the KMS key that encrypts the lake' })
      .regex(KMS_KEY_ARN, {
        error:
          'must be a KMS key ARN "arn:aws:kms:<region>:<account>:key/<key-id>" (not an alias or a key id: the bucket policy and the grants name the key by its ARN); aws kms describe-key --key-id <alias> --query KeyMetadata.Arn turns an alias into it',
      }),
  },
  {
    error:
      'must be an object such as { "kmsKeyArn": "arn:aws:kms:<region>:<account>:key/<key-id>" }, or left out',
  },
);
