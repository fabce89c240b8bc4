/**
 * An instance's secret and its KMS key: checked as the CLI checks a secret (so synth and a local
 * run agree), plus what CDK's fromSecretCompleteArn needs; no message repeats the value, which may be
 * the credential itself.
 */
import * as z from 'zod';
import { SECRET_ARN, secretReferenceProblem } from '../../functions/core/domo/secret-reference.ts';

const COMPLETE_SECRET_SUFFIX = /-[A-Za-z0-9]{6}$/;
export const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** The region in a Secrets Manager or KMS ARN, or undefined when `arn` is not one. */
export const arnRegion = (arn: string): string | undefined =>
  (SECRET_ARN.exec(arn) ?? KMS_KEY_ARN.exec(arn))?.[1];

/**
 * Synth's own addition to the shared check: a partial ARN, which Secrets Manager could read but CDK's
 * fromSecretCompleteArn throws on. The name it holds is quoted as the fix only when the shared check
 * takes it as a name: one of 32 hex digits or more is reached by its ARN alone, and is not shown.
 */
function partialArnProblem(reference: string): string | undefined {
  const name = SECRET_ARN.exec(reference)?.[2];
  if (name === undefined || COMPLETE_SECRET_SUFFIX.test(name)) return undefined;
  const full = 'a secret\'s full ARN ends in "-" and the 6 characters Secrets Manager adds to the name';
  if (secretReferenceProblem(name) !== undefined) {
    return `is a partial ARN whose name (not shown) would be refused alone: ${full}. Copy it from aws secretsmanager describe-secret --secret-id <this partial ARN> --query ARN`;
  }
  return `is a partial ARN: ${full}. Copy it from aws secretsmanager describe-secret --secret-id ${name} --query ARN, or write just the name "${name}"`;
}

/**
 * An existing secret's name or full ARN, by the check the CLI and its Secrets Manager source make
 * (`secretReferenceProblem`): synth takes what they take and refuses the rest in the same words,
 * plus its own partial-ARN refusal. The Domo client secret or the secret's JSON pasted here would
 * land in the template and the role's policy; no message repeats it.
 */
export const secretReference = z
  .string({ error: 'must be the name or ARN of an existing Secrets Manager secret, or left out' })
  .superRefine((value, ctx) => {
    const shared = secretReferenceProblem(value);
    const message =
      shared === undefined
        ? partialArnProblem(value)
        : `${shared}; or leave it out to have the stack create one`;
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  });
