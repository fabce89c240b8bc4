import type { InstanceMail } from '../../functions/report/config.ts';

/**
 * Everyone the report mails, over all instances: the stack-wide recipients and each instance's
 * own. The role's SES grant names them all (planSesIdentities, which also drops repeats), as the
 * sandbox authorizes a send against each recipient's identity.
 */
export const reportRecipientsOfAll = (
  report: { recipients: readonly string[] },
  instanceMail: Readonly<Record<string, InstanceMail>> = {},
): string[] => [...report.recipients, ...Object.values(instanceMail).flatMap((own) => own.recipients ?? [])];
