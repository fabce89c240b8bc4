import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';

/**
 * The Deny of every request to `bucket` not made over TLS: what `enforceSSL` puts first in the
 * policy of a bucket the stack creates, written out for one it adopts.
 */
export function tlsOnly(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['s3:*'],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    effect: iam.Effect.DENY,
    resources: [bucket.bucketArn, bucket.arnForObjects('*')],
    principals: [new iam.AnyPrincipal()],
  });
}

/** What a stack adopting `bucketName` leaves as the destroyed stack left it, and what to do once. */
export function adoptedLakeNotes(bucketName: string): string {
  return `adoptLake: the stack uses the kept lake bucket ${bucketName} and puts its own bucket policy on it (the guards, naming this stack's roles), but leaves the bucket's own settings as the destroyed stack left them: versioning, Object Lock and its default retention (retention.lockDays), the lifecycle rules (retention.maxDays, the storage class transitions, noncurrentVersionDays), the access log (into the old access-log bucket), the default encryption (lakeEncryption) and the EventBridge notifications the deletions log reads. A change of those settings in cdk.json does not reach it. The kept digest signing key's policy names the old stack's ingest roles: until a key administrator adds this stack's (docs/operations.md "Adopting a kept lake", step 4), every run fails at its first signature.`;
}

interface AdoptedLakePolicyProps {
  /** The kept lake bucket (`adoptLake.bucketName`). */
  bucket: s3.IBucket;
  /** The whole policy the stack gives the lake: it replaces the kept one. */
  document: iam.PolicyDocument;
  /** Days the function's log group keeps its lines (`retention.logDays`, as every log group of the stack). */
  logRetention: logs.RetentionDays;
  /** The log group's, as every log group's of the stack (`retention.removalPolicy`). */
  removalPolicy: RemovalPolicy;
}

/**
 * Puts the stack's lake policy on an adopted lake bucket, at the stack's create and at each update
 * that changes it, with one `PutBucketPolicy`: S3 replaces the kept policy (the old stack's guards,
 * naming its deleted roles) with this one at once, so the lake is never without a policy. Not an
 * `AWS::S3::BucketPolicy`: CloudFormation refuses to create one on a bucket that has a policy
 * ("The bucket policy already exists"), and deleting the kept policy first would leave the lake
 * unguarded in between. Nothing is done on delete: like the policy of a lake the stack created,
 * this one stays with the bucket when the stack goes.
 */
export class AdoptedLakePolicy extends Construct {
  /**
   * CDK's function that makes the put (one per stack). Its role may put any policy on the lake:
   * whoever may change its code or configuration may weaken the lake's guards, so the guard watch
   * names it beside the stack's own functions.
   */
  readonly fn: lambda.IFunction;

  constructor(scope: Construct, id: string, props: AdoptedLakePolicyProps) {
    super(scope, id);
    const { bucket, document } = props;
    const put: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putBucketPolicy',
      parameters: { Bucket: bucket.bucketName, Policy: Stack.of(this).toJsonString(document) },
      physicalResourceId: cr.PhysicalResourceId.of(`${bucket.bucketName}-policy`),
    };
    const logGroup = new logs.LogGroup(this, 'Log', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Not CDK's default role with AWSLambdaBasicExecutionRole, which may write to every log group:
    // whoever may invoke the function can have it make any call its role allows, such as forged
    // lines in the deletions log. This one writes to its own log group alone.
    // Inline in the role: no policy resource more than CDK's role had.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Puts the stack's policy on the adopted lake bucket (execution role)",
      inlinePolicies: {
        Logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    acknowledgeWildcardResources(
      role,
      [logGroup.logGroupArn],
      'The log group ARN ends in ":*" to cover its log streams, whose names Lambda generates; the role writes only to this function\'s own log group.',
    );
    const resource = new cr.AwsCustomResource(this, 'Put', {
      onCreate: put,
      onUpdate: put,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['s3:PutBucketPolicy'], resources: [bucket.bucketArn] }),
      ]),
      role,
      installLatestAwsSdk: false,
      logGroup,
    });
    // A SingletonFunction, which AwsCustomResource does not expose: its functionName is the function's.
    this.fn = resource.node.findChild('Provider') as lambda.IFunction;
  }
}
