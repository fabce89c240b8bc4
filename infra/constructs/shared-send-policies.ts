import { type Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SesIdentityPlan } from '../report/ses-identities.ts';
import { sesSendStatementOn } from '../report/ses-send-statement.ts';

/** IAM refuses a managed policy over 6,144 characters (whitespace not counted), at deploy. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * What a policy document of one send statement takes besides its resources, at its longest: the
 * document and statement keys, the action, the condition (the sender counted apart) and a
 * configuration set's ARN (its name is made from construct ids: under 100 characters).
 */
const STATEMENT_OVERHEAD =
  '{"Version":"2012-10-17","Statement":[{"Action":"ses:SendEmail","Condition":{"StringEqualsIgnoreCase":{"ses:FromAddress":""},"ForAllValues:StringEqualsIgnoreCase":{"ses:Recipients":[]}},"Effect":"Allow","Resource":[]}]}'
    .length + 200;

/**
 * An identity's ARN at its longest, without the identity: the longest partition and region names
 * SES runs in and an account id, as IAM will count them once CloudFormation resolved the template.
 */
const IDENTITY_ARN_PREFIX = 'arn:aws-us-gov:ses:ap-southeast-2:111111111111:identity/'.length;

/**
 * The identities in groups whose send statement fits a managed policy each: in the order given,
 * each group as long as it fits (quotes and comma counted per ARN). Every statement lists the
 * sender and all the recipients in its condition.
 */
export function identityGroups(
  identities: readonly string[],
  sender: string,
  recipients: readonly string[],
): string[][] {
  const condition = recipients.reduce((sum, recipient) => sum + recipient.length + 3, 0);
  const budget = MANAGED_POLICY_MAX_CHARS - STATEMENT_OVERHEAD - sender.length - condition;
  const groups: string[][] = [];
  let group: string[] = [];
  let used = 0;
  for (const identity of identities) {
    const size = IDENTITY_ARN_PREFIX + identity.length + 3;
    if (group.length > 0 && used + size > budget) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(identity);
    used += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * The grant to mail as `sender` to the planned identities, made once for many roles that all hold
 * it (each instance's alerts function): managed policies each role attaches, instead of the same
 * statement repeated in every role, which with 50 recipients took ~2.9 KB of template per role.
 * The identities are spread over as many policies as IAM's size limit needs (one, unless the
 * addresses are long and of many domains); each policy's statement keeps the sender condition and
 * the configuration set, so a role holds exactly the grant one statement gave it before.
 */
export class SharedSendPolicies extends Construct {
  readonly policies: iam.ManagedPolicy[];

  constructor(
    scope: Construct,
    id: string,
    props: {
      stack: Stack;
      plan: SesIdentityPlan;
      sender: string;
      /** Everyone the functions mail: no send to another address is allowed. */
      recipients: readonly string[];
      configurationSetArn: string | undefined;
      /** The same for every part, and fixed: naming the sender would replace the policy on a change. */
      description: string;
    },
  ) {
    super(scope, id);
    const { stack, plan, sender, recipients, configurationSetArn } = props;
    if (Token.isUnresolved(sender)) throw new Error('SharedSendPolicies: the sender must be known at synth');
    const groups = identityGroups([...plan.sending, ...plan.recipients], sender, recipients);
    // The first keeps the id `Policy` and each its description whatever the sender and however
    // many parts: IAM cannot change a policy's description, so CloudFormation would replace the
    // policy for a new sender or a part more, and a renamed id is a replacement too.
    this.policies = groups.map(
      (identities, i) =>
        new iam.ManagedPolicy(this, i === 0 ? 'Policy' : `Policy${i + 1}`, {
          description: props.description,
          statements: [sesSendStatementOn(stack, identities, sender, recipients, configurationSetArn)],
        }),
    );
  }

  /** Attaches every policy to `role`: the role then depends on them, and its function on the role. */
  grantTo(role: iam.IRole): void {
    for (const policy of this.policies) role.addManagedPolicy(policy);
  }
}
