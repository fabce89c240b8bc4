import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Stands for the instance whose chain is handed over, in the folder granted
 * (`digest/instance=INSTANCE/`, digestPrefix of layout.ts): the operator puts the instance's name
 * in its place. Upper-case, so that it names no instance (their names are lower-case): a policy put
 * on a role unchanged grants no chain at all rather than every one.
 */
const DIGEST_AUDITOR_INSTANCE = 'INSTANCE';

/** The one instance's digest folder the policy grants. */
const DIGEST_FOLDER = `digest/instance=${DIGEST_AUDITOR_INSTANCE}/`;

/**
 * What the recipient of evidence needs to fetch for themselves, so that neither comes from the
 * party handing the evidence over (review R-AUDIT H2): the digest key's public half and
 * description (`kms:GetPublicKey`, `kms:DescribeKey`: the key's origin says whether its private
 * half was ever outside KMS), and one instance's digest chain with its stored versions. Nothing
 * else: no row of the lake (the digests hold keys, hashes and counts), no write, no other key, and
 * no other instance's chain (its keys name that instance's hours and its counts its volumes, which
 * a recipient of one instance's evidence has no need of: review R-EVIDENCE2 L3). With the lake under
 * a customer key (`lakeKeyArns`: the current one and the retired ones, under which the older
 * digests stay, create-only), the decryption of what S3 hands over too, through S3 only.
 *
 * One output with a placeholder, not one per instance: the largest stack's template is within 2%
 * of CloudFormation's 1,000,000 bytes, and twenty copies of the policy would take ~14 KB.
 *
 * A document, not a resource: the stack outputs it for the operator to put on a role the
 * recipient assumes (docs/operations.md, "Handing over evidence"). The largest stack the project
 * supports (20 instances, every feature) takes CloudFormation's 500 resources exactly, and a
 * policy would need a role to trust the recipient's account, which only the operator knows.
 */
export function digestAuditorPolicy(
  key: kms.IKey,
  lakeBucket: s3.IBucket,
  lakeKeyArns: readonly string[] = [],
): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        actions: ['kms:GetPublicKey', 'kms:DescribeKey'],
        resources: [key.keyArn],
      }),
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [lakeBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${DIGEST_FOLDER}*`] } },
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [lakeBucket.arnForObjects(`${DIGEST_FOLDER}*`)],
      }),
      // A lake under a customer key: the digests are read through S3, which decrypts them as the reader.
      ...(lakeKeyArns.length > 0
        ? [
            new iam.PolicyStatement({
              actions: ['kms:Decrypt'],
              resources: [...lakeKeyArns],
              conditions: {
                StringEquals: { 'kms:ViaService': `s3.${Stack.of(lakeBucket).region}.amazonaws.com` },
              },
            }),
          ]
        : []),
    ],
  });
}
