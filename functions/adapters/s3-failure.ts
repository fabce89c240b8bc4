/**
 * S3's errors, worded for the person who has to fix them: the operation, the object, S3's error
 * code and what usually fixes it. Kept apart from the store so code that lists a lake without the
 * store (lake-instances.ts) words its errors the same way without loading the SDK.
 */

export type S3Operation =
  | 'GetObject'
  | 'HeadObject'
  | 'PutObject'
  | 'ListObjectsV2'
  | 'ListObjectVersions'
  | 'multipart upload';

interface AwsErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const shapeOf = (error: unknown): AwsErrorShape =>
  typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {};
export const codeOf = (error: unknown): string =>
  shapeOf(error).Code ?? shapeOf(error).name ?? 'UnknownError';
export const statusOf = (error: unknown): number | undefined => shapeOf(error).$metadata?.httpStatusCode;

/** An error naming the operation, where, S3's error code and what usually fixes it. */
export function s3Failure(
  operation: S3Operation,
  where: string,
  bucket: string,
  fullKey: string,
  error: unknown,
): Error {
  const code = knownCode(operation, error);
  const status = statusOf(error);
  const detail = shapeOf(error).message;
  const hint = hintFor(code, operation, bucket, fullKey) ?? unresolvedHostHint(error, bucket);
  const shownDetail = detail && detail !== code && !UNNAMED.has(detail) ? detail : undefined;
  const parts = [shownDetail, hint].filter(Boolean).join('. ');
  return new Error(
    `S3 ${operation} of ${where} failed with ${code}${status ? ` (HTTP ${status})` : ''}${parts ? `: ${parts}` : ''}`,
    { cause: error },
  );
}

/** What the SDK calls an error whose answer carried no code. */
const UNNAMED = new Set(['Unknown', 'UnknownError']);

/**
 * S3's error code. A HEAD answer has no body to carry one, so the SDK calls a refused HEAD
 * `Unknown`: its 403 is S3's AccessDenied, and gets the hint a refused GET gets.
 */
function knownCode(operation: S3Operation, error: unknown): string {
  const code = codeOf(error);
  return operation === 'HeadObject' && statusOf(error) === 403 && UNNAMED.has(code) ? 'AccessDenied' : code;
}

/**
 * A host name that does not resolve. The SDK puts the bucket in the host, which on AWS
 * (`lake.s3.eu-west-1.amazonaws.com`) fails only with the network, the DNS or a region that does
 * not exist; on a custom endpoint given by name (`AWS_ENDPOINT_URL_S3=http://localhost:4599`, for
 * s3rver) it always fails, `lake.localhost` resolving nowhere, and the error names neither the
 * cause nor the way out: given as an IP address, the endpoint gets the bucket in the path instead.
 */
function unresolvedHostHint(error: unknown, bucket: string): string | undefined {
  const { code, hostname } = error as { code?: unknown; hostname?: unknown };
  if ((code !== 'ENOTFOUND' && code !== 'EAI_AGAIN') || typeof hostname !== 'string') return undefined;
  if (/\.amazonaws\.com(\.cn)?$/.test(hostname)) {
    return `${hostname} does not resolve: check the network and its DNS, and the region (AWS_REGION)`;
  }
  if (code !== 'ENOTFOUND' || !hostname.startsWith(`${bucket}.`)) return undefined;
  const local = hostname.slice(bucket.length + 1) === 'localhost' ? ' (127.0.0.1 instead of localhost)' : '';
  return `The SDK asked for the bucket as the host ${hostname}, which does not resolve: give the endpoint as an IP address${local}, with which the bucket goes in the path`;
}

function hintFor(code: string, operation: S3Operation, bucket: string, fullKey: string): string | undefined {
  switch (code) {
    case 'AccessDenied':
    case 'AllAccessDisabled': {
      if (operation === 'ListObjectsV2') {
        return `The caller lacks s3:ListBucket on arn:aws:s3:::${bucket} (for this prefix); grant it in the role's policy`;
      }
      if (operation === 'ListObjectVersions') {
        return `The caller lacks s3:ListBucketVersions on arn:aws:s3:::${bucket} (the integrity check lists the digests' versions to find one deleted or written twice); grant it in the role's policy`;
      }
      // HeadObject is a read: S3 authorises it with s3:GetObject.
      const reads = operation === 'GetObject' || operation === 'HeadObject';
      const action = reads ? 's3:GetObject' : 's3:PutObject';
      const kms = reads ? 'kms:Decrypt' : 'kms:GenerateDataKey';
      const missingKeyNote = reads
        ? '; without s3:ListBucket a missing key is also reported as AccessDenied instead of 404'
        : '';
      return `The caller lacks ${action} on arn:aws:s3:::${bucket}/${fullKey} (or ${kms} on the bucket's KMS key, or a bucket policy denies it)${missingKeyNote}`;
    }
    case 'NoSuchBucket':
      return `Bucket ${bucket} does not exist (or not in this account): check the lake location`;
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return `Bucket ${bucket} is in another region: set AWS_REGION to the bucket's region`;
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
    case 'CredentialsProviderError':
      return 'The AWS credentials are missing, wrong or expired: refresh them (aws sso login, or the role) and retry';
    case 'SlowDown':
    case 'ServiceUnavailable':
      return 'S3 is throttling this prefix: retry later';
    case 'EntityTooLarge':
      return 'The body is larger than a single PutObject allows (5 GiB)';
    default:
      return undefined;
  }
}
