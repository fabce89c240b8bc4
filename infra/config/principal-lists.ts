import * as z from 'zod';

/**
 * An IAM principal ARN, or a pattern of them (`*`, `?`), as the `aws:PrincipalArn` condition key
 * holds it: the account root, a user or a role (a role session's is its role's ARN, path
 * included), or an AWS STS federated user session (`sts::…:federated-user/…`), which IAM lists
 * among the principals the key holds.
 */
const PRINCIPAL_ARN =
  /^arn:aws[a-z-]*:(iam::\d{12}:(root|(user|role)\/[\x21-\x7e]+)|sts::\d{12}:federated-user\/[\x21-\x7e]+)$/;

/**
 * What a list of principals is for, in its messages: each list names its own purpose and the kind
 * of role it takes, not the delete list's break-glass role for every list.
 */
interface PrincipalListPurpose {
  /** What the principals named may do, after "let nearly anyone". */
  does: string;
  /** The role such a list names, after "name". */
  role: string;
  /** That role's example name. */
  example: string;
}

export const DELETE_PURPOSE: PrincipalListPurpose = {
  does: 'delete from the lake',
  role: 'the break-glass role',
  example: 'LakeBreakGlass',
};
export const WRITE_PURPOSE: PrincipalListPurpose = {
  does: 'write to the lake by hand',
  role: "the operators' role that runs ingest or enrich from a workstation",
  example: 'LakeOperator',
};
export const READ_PURPOSE: PrincipalListPurpose = {
  does: 'read the lake and the Athena results',
  role: 'the role the analysts query Athena with',
  example: 'LakeAnalyst',
};
export const DEPLOY_PURPOSE: PrincipalListPurpose = {
  does: "change the lake bucket's lifecycle, replication, versioning, lock, notifications and logging",
  role: 'the role CloudFormation deploys the stack with',
  example: 'cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1',
};
export const SUBSCRIBE_PURPOSE: PrincipalListPurpose = {
  does: 'subscribe to the security alerts',
  role: 'the role that subscribes your pager or chat endpoint',
  example: 'SecurityOps',
};

/** Why `value` can never match the `aws:PrincipalArn` of a caller, or undefined. */
function principalArnProblem(value: string, purpose: PrincipalListPurpose): string | undefined {
  const example = `"arn:aws:iam::123456789012:role/${purpose.example}"`;
  // `role/*`, `user/*`, `federated-user/*`: every caller of that kind would be let in.
  if (/:(role|user|federated-user)\/[*?/]*$/.test(value))
    return `"${value}" matches every ${value.includes('federated-user') ? 'federated user' : value.includes(':role/') ? 'role' : 'user'} of the account, which would let nearly anyone ${purpose.does}: name ${purpose.role}, e.g. ${example}`;
  if (PRINCIPAL_ARN.test(value)) return undefined;
  if (/^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)/.test(value)) {
    const role = value.split('/')[1];
    return `"${value}" is a role session, which aws:PrincipalArn never holds: name its role, e.g. "arn:aws:iam::${value.split(':')[4]}:role/${role}" (a role under a path needs the path, or "role/*/${role}")`;
  }
  return `"${value}" is not an IAM principal ARN: name ${purpose.role}, e.g. ${example} (or a user, the account root, or an "arn:aws:sts::<account>:federated-user/<name>"; "*" and "?" match within it)`;
}

/** ARN patterns of `aws:PrincipalArn` a policy exempts from one of its Denies, checked for `purpose`. */
export const principalPatterns = (purpose: PrincipalListPurpose) => principalPatternList(purpose).default([]);

/** {@link principalPatterns} with no default: left out stays undefined. */
export const principalPatternList = (purpose: PrincipalListPurpose) =>
  z.array(
    z.string({ error: 'must be a list of IAM role ARNs' }).superRefine((value, ctx) => {
      const problem = principalArnProblem(value, purpose);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    {
      error: `must be a list of IAM role ARNs, e.g. ["arn:aws:iam::123456789012:role/${purpose.example}"]`,
    },
  );
