import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ANSWER_CLOUDFORMATION } from './custom-resource-answer.ts';
import { InlinePolicyRole } from './inline-policy-role.ts';
import { LAMBDA_RUNTIME } from './lake-function.ts';

/**
 * The handler of {@link LakeKeyKept}, as the function's inline source (CommonJS, the AWS SDK of
 * the runtime): on an update that drops a key the previous properties named, it answers FAILED
 * with the way out, unless the stack is rolling back (a rollback restores a template without a
 * key the failed update added; refusing it would leave the stack in UPDATE_ROLLBACK_FAILED). An
 * error of the check refuses too: the message says what failed, and, since it cannot tell a
 * rollback then, how a rollback it refused goes on. A `DescribeStacks` without an answer is given
 * up after 20 s, within the function's {@link CHECK_TIMEOUT}, so that it too is answered with the
 * way on, not left to {@link CHECK_ANSWER_WITHIN}. Create and Delete always succeed.
 */
export const LAKE_KEY_KEPT_HANDLER = `const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
${ANSWER_CLOUDFORMATION}const keysOf = (properties) => (properties && properties.KeyArns) || [];
async function rollingBack(stackId) {
  const described = new DescribeStacksCommand({ StackName: stackId });
  const { Stacks } = await new CloudFormationClient({}).send(described, { abortSignal: AbortSignal.timeout(20000) });
  return /ROLLBACK_IN_PROGRESS$/.test(Stacks[0].StackStatus);
}
async function refusal(event) {
  if (event.RequestType !== 'Update') return undefined;
  const kept = keysOf(event.ResourceProperties);
  const dropped = keysOf(event.OldResourceProperties).filter((key) => !kept.includes(key));
  if (dropped.length === 0 || (await rollingBack(event.StackId))) return undefined;
  return 'lakeEncryption: this deploy drops ' + dropped.join(', ') + ' from the keys the stack lets read the lake, ' +
    'and objects written while it was lakeEncryption.kmsKeyArn stay encrypted under it: every ingest, query, report, ' +
    'alert and verify reading one would be refused. Put it back as lakeEncryption.kmsKeyArn, or, to move off it, ' +
    'list it in lakeEncryption.retiredKmsKeyArns, which keeps its read grant (docs/configuration.md, "Moving off the key"). ' +
    'CloudFormation rolls this update back: nothing changed.';
}
exports.handler = async (event) => {
  let reason;
  try {
    reason = await refusal(event);
  } catch (error) {
    reason = 'lakeEncryption: could not check whether this deploy drops a key of the lake (' + error.message + '): deploy again. ' +
      'A rollback this refused (UPDATE_ROLLBACK_FAILED) goes on with aws cloudformation continue-update-rollback --stack-name ' +
      event.StackId + ' --resources-to-skip ' + event.LogicalResourceId;
  }
  await answer(event, reason, 'kept', event.LogicalResourceId);
};
`;

/** How long one run of the check's function may take: one DescribeStacks and one PUT. */
const CHECK_TIMEOUT = Duration.seconds(30);

/**
 * How long CloudFormation waits for the check's answer (`ServiceTimeout`) before failing the
 * resource, rather than its default of an hour: a run that ends without answering (timed out, the
 * PUT lost) would hold the deploy an hour, and the rollback after it another. Lambda tries an
 * event CloudFormation sends up to three times, a minute and then two apart: all three fit.
 */
export const CHECK_ANSWER_WITHIN = Duration.minutes(5);

interface LakeKeyKeptProps {
  /**
   * The KMS keys the stack lets read the lake (`lakeEncryption.kmsKeyArn` and
   * `retiredKmsKeyArns`); none without `lakeEncryption`.
   */
  keyArns: readonly string[];
}

/**
 * Refuses, at deploy, an update of the stack that drops a key the deployed stack lets read the
 * lake: `lakeEncryption` removed from `cdk.json` (a shipped `cdk.json` copied over yours), its key
 * replaced, a retired key left out. Without it such a deploy took the roles' grants away while the
 * objects written under the key stay encrypted with it, and every read of them failed from then
 * on, silently until the next run. Synth cannot tell: it knows only the config it is given, so the
 * check is CloudFormation's own record of the previous properties (`OldResourceProperties`), which
 * a custom resource alone is sent. The deploy fails with the way out, and CloudFormation rolls the
 * whole update back. Made in every stack, with or without a key: a stack without one is what a
 * removal looks like.
 *
 * Three resources: the custom resource, its function (inline code, no bundle) and its role, which
 * may only describe this stack (to tell a rollback). The function runs only during deploys.
 */
export class LakeKeyKept extends Construct {
  /**
   * Its function, for LakeGuardChanged's function rules: code put there by hand would answer
   * SUCCESS to every update, and the next deploy dropping a key would go through unseen.
   */
  readonly fn: lambda.IFunction;

  constructor(scope: Construct, id: string, props: LakeKeyKeptProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const role = new InlinePolicyRole(this, 'Role', {
      description: "Lets the lake key check tell whether the stack's update is rolling back",
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }),
    );
    // The L1 function: the L2 would add a log group, retained for good, which a function that may
    // not write logs (its answer is in the stack's events) has no use for.
    const fn = new lambda.CfnFunction(this, 'Function', {
      description:
        "Refuses a deploy that drops a key the lake's objects are encrypted under (lakeEncryption)",
      runtime: LAMBDA_RUNTIME.name,
      handler: 'index.handler',
      code: { zipFile: LAKE_KEY_KEPT_HANDLER },
      role: role.roleArn,
      timeout: CHECK_TIMEOUT.toSeconds(),
    });
    this.fn = lambda.Function.fromFunctionName(this, 'Watched', fn.ref);
    new CfnResource(this, 'Check', {
      type: 'Custom::LakeKeyKept',
      properties: {
        ServiceToken: fn.attrArn,
        ServiceTimeout: String(CHECK_ANSWER_WITHIN.toSeconds()),
        KeyArns: [...new Set(props.keyArns)].sort(),
      },
    });
  }
}
