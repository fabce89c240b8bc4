import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { digestAuditorPolicy } from '../../infra/constructs/digest-auditor-policy.ts';
import { cfnText, logicalIdOf, newTestApp, sharedSynth, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

describe('the policy for the recipient of evidence (review R-AUDIT H2)', () => {
  it("is output by the stack: read the digest key and one instance's digest folder, nothing else", () => {
    const { template } = sharedSynth();
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/');
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/');
    const output = template.toJSON().Outputs.DigestAuditorPolicy;
    expect(output.Description).toContain('docs/operations.md "Handing over evidence"');
    expect(output.Description).toContain('INSTANCE');
    // As `aws iam put-role-policy --policy-document` takes it: the JSON text of the document.
    expect(JSON.parse(cfnText(output.Value))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: ['kms:GetPublicKey', 'kms:DescribeKey'], Effect: 'Allow', Resource: `{${keyId}.Arn}` },
        {
          Action: ['s3:ListBucket', 's3:ListBucketVersions'],
          Effect: 'Allow',
          Resource: `{${bucketId}.Arn}`,
          Condition: { StringLike: { 's3:prefix': ['digest/instance=INSTANCE/*'] } },
        },
        {
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Effect: 'Allow',
          Resource: `{${bucketId}.Arn}/digest/instance=INSTANCE/*`,
        },
      ],
    });
  });

  it('is a valid identity policy', () => {
    const stack = new Stack(newTestApp(), 'Auditor', { env: TEST_ENV });
    const key = new kms.Key(stack, 'Key', {
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
    });
    const document = digestAuditorPolicy(key, new s3.Bucket(stack, 'Lake'));
    expect(document.validateForIdentityPolicy()).toEqual([]);
  });
});
