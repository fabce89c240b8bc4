import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Every recipient of a message must be one of those listed (a message has at least one). */
export const RECIPIENTS_OPERATOR = 'ForAllValues:StringEqualsIgnoreCase';

/**
 * The grant to send mail (the weekly report, the alerts): `ses:SendEmail` as the given identities
 * only, only from `sender`, and only to `recipients` (every address of the message, `ses:Recipients`:
 * a role whose function is changed cannot mail the lake's findings to anyone else). Sending with a configuration set is also authorized against the
 * set, so its ARN is among the resources when mail goes through one. Kept apart from
 * ses-identities.ts: pure functions the config validation shares, with no CDK in them.
 */
export function sesSendStatementOn(
  stack: Stack,
  identities: readonly string[],
  sender: string,
  recipients: readonly string[],
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
    conditions: {
      StringEqualsIgnoreCase: { 'ses:FromAddress': sender },
      [RECIPIENTS_OPERATOR]: { 'ses:Recipients': [...recipients] },
    },
  });
}
