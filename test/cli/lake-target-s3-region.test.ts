import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { openLakeTarget, parseLakeOption } from '../../functions/cli/lake-target.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

/** A client whose region resolves to nothing, and which fails any request it is asked to send. */
const regionless = {
  config: { region: async () => undefined },
  send: async () => {
    throw new Error('a request was sent');
  },
} as unknown as S3Client;

describe('an S3 lake without a region', () => {
  it('is refused before any request, saying how to set the region', async () => {
    const error = await openLakeTarget(parseLakeOption('s3://bucket/lake'), undefined, {
      access: 'read',
      s3Client: regionless,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "--lake s3://bucket/lake is in S3 but no AWS region is set: export AWS_REGION=<the stack's region> (e.g. eu-west-1), or set region in your AWS profile",
    );
  });
});
