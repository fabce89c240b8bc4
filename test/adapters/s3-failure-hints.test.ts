import { describe, expect, it } from 'vitest';
import { s3Failure } from '../../functions/adapters/s3-failure.ts';
import { s3Error } from '../support/s3-error.ts';

const where = 's3://lake-bucket/lake/coverage/x.json';
const fail = (operation: Parameters<typeof s3Failure>[0], code: string, status: number) =>
  s3Failure(operation, where, 'lake-bucket', 'lake/coverage/x.json', s3Error(code, status));

describe('s3Failure names the fix', () => {
  it('names the KMS permission the operation needs: Decrypt to read, GenerateDataKey to write', () => {
    expect(fail('GetObject', 'AccessDenied', 403).message).toMatch(/s3:GetObject .*or kms:Decrypt/);
    expect(fail('PutObject', 'AccessDenied', 403).message).toMatch(/s3:PutObject .*or kms:GenerateDataKey/);
    expect(fail('multipart upload', 'AccessDenied', 403).message).toMatch(/or kms:GenerateDataKey/);
  });

  it('tells expired credentials to refresh them and throttling to retry later', () => {
    expect(fail('GetObject', 'ExpiredToken', 400).message).toMatch(
      /credentials are missing, wrong or expired/,
    );
    expect(fail('PutObject', 'SlowDown', 503).message).toMatch(/throttling this prefix: retry later/);
  });

  it('keeps the SDK error as the cause and does not repeat a message that is only the code', () => {
    const original = Object.assign(s3Error('SlowDown', 503), { message: 'SlowDown' });
    const error = s3Failure('PutObject', where, 'lake-bucket', 'lake/coverage/x.json', original);
    expect(error.cause).toBe(original);
    expect(error.message).toBe(
      `S3 PutObject of ${where} failed with SlowDown (HTTP 503): S3 is throttling this prefix: retry later`,
    );
  });
});
