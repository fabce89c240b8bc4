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

describe('s3Failure on an endpoint given by name', () => {
  /** What Node's resolver throws, as the SDK hands it on, for `lake-bucket.<endpoint>`. */
  const unresolved = (host: string) =>
    Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
  const failOn = (host: string) =>
    s3Failure('GetObject', where, 'lake-bucket', 'lake/x.json', unresolved(host));

  it('says the bucket became part of the host name, and to give the endpoint as an IP address', () => {
    expect(failOn('lake-bucket.localhost').message).toMatch(
      /ENOTFOUND lake-bucket\.localhost\. The SDK asked for the bucket as the host lake-bucket\.localhost, which does not resolve: give the endpoint as an IP address \(127\.0\.0\.1 instead of localhost\), with which the bucket goes in the path$/,
    );
    expect(failOn('lake-bucket.minio.internal').message).toMatch(
      /give the endpoint as an IP address, with which/,
    );
  });

  it("on AWS's own hosts, bucket in front or not, points at the network, its DNS and the region instead", () => {
    for (const host of ['lake-bucket.s3.eu-west-9.amazonaws.com', 's3.eu-west-1.amazonaws.com']) {
      const message = failOn(host).message;
      expect(message).not.toMatch(/IP address/);
      expect(message).toMatch(
        new RegExp(
          `${host.replaceAll('.', '\\.')} does not resolve: check the network and its DNS, and the region \\(AWS_REGION\\)$`,
        ),
      );
    }
  });

  it('gives no advice for a host that is neither AWS nor the bucket in front of an endpoint', () => {
    expect(failOn('proxy.corp.example').message).toBe(
      `S3 GetObject of ${where} failed with Error: getaddrinfo ENOTFOUND proxy.corp.example`,
    );
  });
});
