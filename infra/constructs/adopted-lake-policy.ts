import { CfnResource, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';
import { ANSWER_CLOUDFORMATION } from './custom-resource-answer.ts';
import { InlinePolicyRole } from './inline-policy-role.ts';
import { LAMBDA_RUNTIME } from './lake-function.ts';

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

/**
 * The handler of {@link AdoptedLakePolicy}, as the function's inline source (CommonJS, the AWS SDK
 * of the runtime): on Create and Update it puts the `Policy` property on the `Bucket` property's
 * bucket and logs the put (the policy as put, which docs/operations.md's restore takes), on Delete
 * it does nothing. CloudFormation sends the policy as an object whose numbers and
 * booleans it has made strings, which IAM takes alike. A put S3 refuses as IAM's propagation
 * does, just after CloudFormation made the roles the policy names ("Invalid principal in policy")
 * or the function's own (`AccessDenied`), is tried again, 1, 2, 4 … 16 s apart, while the run
 * has time. Every path answers: an error of the put answers FAILED with its message, and the put
 * gives up 10 s before the function's timeout, which would leave CloudFormation waiting for
 * {@link PUT_ANSWER_WITHIN}.
 *
 * Anyone allowed `lambda:InvokeFunction` on the function could send it a request of their own,
 * with a policy of their own: it puts one only for a request naming its stack and resource
 * (`STACK_ID`, `LOGICAL_ID`) while CloudFormation shows that resource `CREATE_IN_PROGRESS` or
 * `UPDATE_IN_PROGRESS` (a rollback's update too), and refuses, logs and answers any other. That
 * leaves the seconds of a deploy's own put: nothing in a request proves CloudFormation sent it
 * (it invokes the function with the deploy's credentials, a function's resource policy cannot
 * deny, and the policy names roles whose ARNs exist only at deploy, so no digest of it can be set
 * at synth), hence the guard watch's report of every put.
 */
export const ADOPTED_LAKE_POLICY_HANDLER = `const { S3Client, PutBucketPolicyCommand } = require('@aws-sdk/client-s3');
const { CloudFormationClient, DescribeStackResourceCommand } = require('@aws-sdk/client-cloudformation');
${ANSWER_CLOUDFORMATION}const settling = (error) => /Invalid principal|AccessDenied/.test(error.name + ': ' + error.message);
async function retried(call, context) {
  const left = () => context.getRemainingTimeInMillis() - 10000;
  for (let wait = 1000; ; wait = Math.min(2 * wait, 16000)) {
    try {
      return await call(AbortSignal.timeout(Math.max(1, left())));
    } catch (error) {
      if (!settling(error) || left() < 2 * wait) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
async function refusal(event, context) {
  const { STACK_ID, LOGICAL_ID } = process.env;
  let status = 'another stack or resource';
  if (event.StackId === STACK_ID && event.LogicalResourceId === LOGICAL_ID) {
    const described = new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: LOGICAL_ID });
    const cfn = new CloudFormationClient({});
    try {
      ({ StackResourceDetail: { ResourceStatus: status } } = await retried((abortSignal) => cfn.send(described, { abortSignal }), context));
    } catch (error) {
      return 'adoptLake: could not ask CloudFormation whether it is putting the lake policy (' + error.message + '): ' +
        'nothing was put; deploy again';
    }
    if (/^(CREATE|UPDATE)_IN_PROGRESS$/.test(status)) return undefined;
  }
  return 'adoptLake: refused a put CloudFormation is not making (' + status + '): the function puts the policy only while ' +
    'CloudFormation creates or updates ' + LOGICAL_ID + ' of ' + STACK_ID;
}
exports.handler = async (event, context) => {
  const { Bucket, Policy } = event.ResourceProperties || {};
  let reason;
  try {
    reason = event.RequestType === 'Delete' ? undefined : await refusal(event, context);
    if (event.RequestType !== 'Delete' && reason === undefined) {
      const put = new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(Policy) });
      console.log(JSON.stringify({ RequestType: event.RequestType, ...put.input }));
      const s3 = new S3Client({});
      await retried((abortSignal) => s3.send(put, { abortSignal }), context);
    }
  } catch (error) {
    reason = 'adoptLake: could not put the lake policy of this stack on the bucket ' + Bucket + ' (' + error.message + '): ' +
      'check that adoptLake.bucketName is the kept LakeBucketName of this account and region, then deploy again';
  }
  if (reason !== undefined) console.log(reason);
  await answer(event, reason, 'put', Bucket + '-policy');
};
`;

/**
 * How long one run of the put's function may take: room for IAM's propagation, which takes
 * seconds, at times a minute.
 */
const PUT_TIMEOUT = Duration.minutes(2);

/**
 * How long CloudFormation waits for the put's answer (`ServiceTimeout`), rather than its default
 * of an hour: a run that ends without answering (the runtime failing to load the code, the answer
 * lost) would hold the deploy an hour, and the rollback after it another. Lambda's three tries of
 * the event, a minute and then two apart, all fit.
 */
export const PUT_ANSWER_WITHIN = Duration.minutes(10);

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
 *
 * A custom resource of its own (inline code, as {@link LakeKeyKept}), not CDK's `AwsCustomResource`:
 * that one holds its call twice (create and update), the policy a JSON string inside each, about
 * 15 KB of the largest template more, which took it over CloudFormation's 1,000,000 bytes. This one
 * holds the policy once, as an object.
 */
export class AdoptedLakePolicy extends Construct {
  /**
   * The function that makes the put. Its role may put any policy on the lake: whoever may change
   * its code or configuration may weaken the lake's guards, so the guard watch names it beside the
   * stack's own functions.
   */
  readonly fn: lambda.IFunction;

  constructor(scope: Construct, id: string, props: AdoptedLakePolicyProps) {
    super(scope, id);
    const { bucket, document } = props;
    const logGroup = new logs.LogGroup(this, 'Log', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Not a role with AWSLambdaBasicExecutionRole, which may write to every log group: whoever may
    // invoke the function can have it make any call its role allows, such as forged lines in the
    // deletions log. This one writes to its own log group alone.
    const role = new InlinePolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Puts the stack's policy on the adopted lake bucket (execution role)",
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutBucketPolicy'], resources: [bucket.bucketArn] }),
    );
    const stack = Stack.of(this);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStackResource'],
        resources: [stack.stackId],
      }),
    );
    acknowledgeWildcardResources(
      role,
      [logGroup.logGroupArn],
      'The log group ARN ends in ":*" to cover its log streams, whose names Lambda generates; the role writes only to this function\'s own log group.',
    );
    const fn = new lambda.Function(this, 'Function', {
      description: "Puts the stack's policy on the adopted lake bucket (adoptLake)",
      runtime: LAMBDA_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ADOPTED_LAKE_POLICY_HANDLER),
      role,
      timeout: PUT_TIMEOUT,
      logGroup,
    });
    this.fn = fn;
    const put = new CfnResource(this, 'Put', {
      type: 'Custom::AdoptedLakePolicy',
      properties: {
        ServiceToken: fn.functionArn,
        ServiceTimeout: String(PUT_ANSWER_WITHIN.toSeconds()),
        Bucket: bucket.bucketName,
        Policy: document,
      },
    });
    // The function's own request, which it alone answers with a put: not a Ref, which would be
    // a dependency of the function on the resource that depends on it.
    fn.addEnvironment('STACK_ID', stack.stackId);
    fn.addEnvironment('LOGICAL_ID', stack.getLogicalId(put));
  }
}
