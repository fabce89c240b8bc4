import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { SesIdentityPlan } from './ses-identities.ts';

/**
 * The grant to send mail (the weekly report, the alerts): `ses:SendEmail` as the planned identities
 * only, and only from `sender`. Sending with a configuration set is also authorized against the
 * set, so its ARN is among the resources when mail goes through one. Kept apart from
 * ses-identities.ts: pure functions the config validation shares, with no CDK in them.
 */
export function sesSendStatement(
  stack: Stack,
  plan: SesIdentityPlan,
  sender: string,
  configurationSetArn: string | undefined,
): iam.PolicyStatement {
  return sesSendStatementOn(stack, [...plan.sending, ...plan.recipients], sender, configurationSetArn);
}

/** {@link sesSendStatement} on the given identities only: a part of a plan's grant. */
export function sesSendStatementOn(
  stack: Stack,
  identities: readonly string[],
  sender: string,
  configurationSetArn: string | undefined,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['ses:SendEmail'],
    resources: [
      ...identities.map((identity) =>
        stack.formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: identity,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ),
      ...(configurationSetArn === undefined ? [] : [configurationSetArn]),
    ],
    conditions: { StringEqualsIgnoreCase: { 'ses:FromAddress': sender } },
  });
}
