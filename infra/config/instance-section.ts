/**
 * `instances[]`: one Domo instance each, with its secret, API base, document zone and report
 * overrides.
 */
import * as z from 'zod';
import { MAX_CUSTOMER_CHARS } from '../../functions/core/domo/token-provider.ts';
import { assertInstanceName } from '../../functions/core/lake/layout.ts';
import {
  apiBasePathError,
  apiBaseUrlError,
  DEFAULT_DOMO_API_BASE,
  hasQueryOrFragment,
  hasUserInfo,
  originWithPath,
  webAddressProblem,
} from './api-base.ts';
import { arnRegion, KMS_KEY_ARN, secretReference } from './instance-secret.ts';
import { recipientList } from './mail-addresses.ts';
import { timeZone } from './time-zone-field.ts';

/** An instance's name, as `instances[].name` and `retiredInstances` take it. */
export const instanceName = z.string({ error: 'is required: a short instance name such as "acme"' }).refine(
  (value) => {
    try {
      assertInstanceName(value);
      return true;
    } catch {
      return false;
    }
  },
  {
    error:
      'must be 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit (it becomes an S3 path segment and an Athena partition value)',
  },
);

const instanceFields = z.strictObject({
  name: instanceName,
  secret: secretReference.nullish().transform((value) => value ?? undefined),
  secretKmsKeyArn: z
    .string({ error: 'must be the ARN of the KMS key that encrypts the secret, or left out' })
    .regex(KMS_KEY_ARN, {
      error:
        'must be a KMS key ARN "arn:aws:kms:<region>:<account>:key/<key-id>" (not an alias: IAM grants use of keys by key ARN); aws secretsmanager describe-secret --secret-id <secret> --query KmsKeyId shows it, and aws kms describe-key --key-id <alias> --query KeyMetadata.Arn turns an alias into it',
    })
    .nullish()
    .transform((value) => value ?? undefined),
  apiBase: z
    .url({ protocol: /^https$/, error: (issue) => apiBaseUrlError(issue.input) })
    // It lands in the template and the function's environment in plain text.
    .refine((value) => !hasUserInfo(value), {
      error:
        'must not carry a user name or password ("user:password@"): the Domo client id and secret belong in the instance\'s secret, which only the function can read',
    })
    // A query or fragment the function's own check refuses would fail every scheduled run.
    .refine((value) => !hasQueryOrFragment(value), {
      error: 'must be a plain https URL without query or fragment, e.g. "https://api.domo.com"',
    })
    // The function appends /oauth/token and /v1/audit to it: "/v1" there made every run 404.
    .superRefine((value, ctx) => {
      const origin = originWithPath(value);
      if (origin !== undefined) ctx.addIssue({ code: 'custom', message: apiBasePathError(origin) });
    })
    .superRefine((value, ctx) => {
      const problem = webAddressProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default(DEFAULT_DOMO_API_BASE)
    .transform((value) => value.replace(/\/+$/, '')),
  // The Domo customer the instance is for, as Domo's token answer names it: credentials of any other
  // are refused before anything is stored, even on the first run (review R-MSP H1).
  domoCustomer: z
    .string({ error: 'must be the Domo customer the instance is for, as a string, or left out' })
    .trim()
    .min(1, { error: 'must not be empty: the Domo customer the instance is for, or leave it out' })
    .max(MAX_CUSTOMER_CHARS, { error: `must be at most ${MAX_CUSTOMER_CHARS} characters` })
    .optional(),
  // Domo may write its zone-less time strings in each instance's own zone: over ingest.docTimeZone.
  docTimeZone: timeZone.optional(),
  // Lazy: its schemas are made below, with the report section's they reuse.
  report: z.lazy(() => instanceReportFields).optional(),
});

export const instanceSchema = instanceFields.superRefine((instance, ctx) => {
  const key = instance.secretKmsKeyArn;
  // A malformed key ARN already has its own message.
  if (key === undefined || !KMS_KEY_ARN.test(key)) return;
  if (instance.secret === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretKmsKeyArn'],
      message:
        'applies only to an existing secret named in "secret": the secret the stack creates is encrypted with the AWS managed key aws/secretsmanager, which needs no grant. Remove secretKmsKeyArn, or add the secret it encrypts',
    });
    return;
  }
  // The secret is not quoted: a name of 64 hex digits in its ARN may be the client secret pasted there.
  const secretRegion = arnRegion(instance.secret);
  const keyRegion = arnRegion(key);
  if (secretRegion !== undefined && keyRegion !== undefined && secretRegion !== keyRegion) {
    ctx.addIssue({
      code: 'custom',
      path: ['secretKmsKeyArn'],
      message: `is a key in ${keyRegion}, but the secret is in ${secretRegion}, and Secrets Manager encrypts a secret only with a key of its own region: name the key aws secretsmanager describe-secret --secret-id <the secret's ARN> --query KmsKeyId shows`,
    });
  }
});

/**
 * `instances[].report`: a subsidiary's report to its own people, in its own zone, each over the
 * stack-wide report.recipients and report.timeZone, checked as those are. The schedule stays the
 * stack's: the zone changes how the week and its times are shown, not when the report runs.
 */
const instanceReportFields = z.strictObject({
  recipients: recipientList()
    .unwrap()
    .min(1, { error: 'needs at least one address, or leave it out to use report.recipients' })
    .optional(),
  timeZone: timeZone.optional(),
});
