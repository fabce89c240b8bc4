import * as z from 'zod';
import {
  DELETE_PURPOSE,
  DEPLOY_PURPOSE,
  principalPatternList,
  principalPatterns,
  READ_PURPOSE,
  WRITE_PURPOSE,
} from './principal-lists.ts';
import { wholeNumber } from './whole-numbers.ts';

/** Log retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * S3's 30-day minimum for STANDARD_IA: an object may transition there only once it is 30 days old,
 * and must stay there 30 days before a rule moves it on (to GLACIER_IR here).
 */
const MIN_STANDARD_IA_DAYS = 30;

/**
 * Days the access log outlives the versions it is about, by default: S3 runs lifecycle rules
 * asynchronously, and whoever finds a version gone (a `verify` run, an audit) needs the record of
 * its deletion some time after the version itself has expired.
 */
const ACCESS_LOG_MARGIN_DAYS = 30;

/** Days a replaced or deleted version of the lake is kept before the lifecycle expires it. */
const evidenceDaysOf = (retention: {
  lockDays: number;
  noncurrentVersionDays?: number | undefined;
}): number => retention.noncurrentVersionDays ?? retention.lockDays;

/**
 * The access log must outlive the versions it is about: it is the record of who deleted or
 * replaced one, and with the same days (both were 365) it expired about when the lifecycle purged
 * the versions a delete marker had hidden, leaving neither the evidence nor who removed it.
 */
function checkAccessLogOutlivesEvidence(
  retention: {
    lockDays: number;
    noncurrentVersionDays?: number | undefined;
    accessLogDays?: number | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const evidenceDays = evidenceDaysOf(retention);
  if (retention.accessLogDays === undefined || retention.accessLogDays > evidenceDays) return;
  ctx.addIssue({
    code: 'custom',
    path: ['accessLogDays'],
    message: `must be more than the days replaced and deleted versions are kept (retention.noncurrentVersionDays, or lockDays when it is left out: ${evidenceDays}): the access log is the record of who deleted or replaced a version, and would expire with that evidence or before it. Set it to ${evidenceDays + ACCESS_LOG_MARGIN_DAYS} or more, or leave it out`,
  });
}

/**
 * The lake keeps what it holds at least lockDays: Object Lock refuses deleting a version sooner,
 * so a shorter expiry would only hide objects behind delete markers while every version stayed.
 */
function checkMaxDaysOutlivesLock(
  retention: { lockDays: number; maxDays?: number | null | undefined },
  ctx: z.RefinementCtx,
): void {
  const { lockDays, maxDays } = retention;
  if (typeof maxDays !== 'number' || maxDays >= lockDays) return;
  ctx.addIssue({
    code: 'custom',
    path: ['maxDays'],
    message: `must be at least retention.lockDays (${lockDays}): Object Lock keeps every version lockDays whatever the lifecycle says, so the lake cannot end sooner than that. Set it to ${lockDays} or more, lower lockDays, or set it to null to keep the lake forever`,
  });
}

export const retentionSchema = z
  .strictObject({
    removalPolicy: z
      .enum(['retain', 'destroy'], {
        error: 'must be "retain" (keeps data when the stack is deleted) or "destroy"',
      })
      .default('retain'),
    logDays: z
      .number()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
        error: `must be one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(90),
    athenaResultsDays: wholeNumber(1, 365, 7).default(7),
    /**
     * Object Lock (governance mode) default retention of every object version in the lake: the
     * minimum it is kept, not how long.
     */
    lockDays: wholeNumber(1, 36500, 365).default(365),
    /**
     * Days after it was written that the lifecycle hides an object holding personal data
     * (lake-expiry.ts); its version goes for good noncurrentVersionDays later. `null`: kept
     * forever, by choice; left out: kept forever too, and synth warns (personal-data-warning.ts).
     */
    maxDays: wholeNumber(1, 36500, 730).nullable().optional(),
    /**
     * The lake bucket was created without Object Lock (deployed before it was added): the lock is
     * then turned on in place, not by a property CloudFormation can only apply by replacing the bucket.
     */
    lakeBucketPredatesLock: z.boolean({ error: 'must be true or false' }).default(false),
    /** Default: lockDays. A locked version cannot expire sooner anyway. */
    noncurrentVersionDays: wholeNumber(1, 36500, 365)
      .nullish()
      .transform((value) => value ?? undefined),
    /** Default: the noncurrent versions' days plus ACCESS_LOG_MARGIN_DAYS. */
    accessLogDays: wholeNumber(1, 36600, 395)
      .nullish()
      .transform((value) => value ?? undefined),
    /**
     * The principals (ARN patterns of `aws:PrincipalArn`) the lake bucket's policy lets delete an
     * object or a version; every other one is denied, whatever its own policies allow. Empty: none.
     * They may write by hand too (a repair restores a version by copying it).
     */
    deleteAllowedPrincipals: principalPatterns(DELETE_PURPOSE),
    /**
     * The principals besides the stack's roles that may write lake objects and sign digests by
     * hand (`ingest`/`enrich` from a workstation); every other one is denied both. Empty: none.
     */
    writeAllowedPrincipals: principalPatterns(WRITE_PURPOSE),
    /**
     * The principals besides the stack's roles and the two lists above that may read lake objects
     * and Athena results: Athena reads the lake with its caller's credentials, so every role that
     * queries the lake (in the console, `query --athena`) or runs `status`/`verify --lake s3://…`
     * belongs here; every other one is denied, whatever its own policies allow. Empty: none.
     */
    readAllowedPrincipals: principalPatterns(READ_PURPOSE),
    /**
     * The principals CloudFormation deploys the stack as (ARN patterns of `aws:PrincipalArn`): with
     * `deleteAllowedPrincipals`, the only ones the lake bucket's policy lets change its lifecycle,
     * replication, versioning, Object Lock, notifications and access logging. Left out: the CDK
     * bootstrap's execution role of any qualifier, `role/cdk-*-cfn-exec-role-<account>-<region>`
     * (lake-storage.ts); synth warns when the list cannot match the role the stack deploys with.
     */
    deployPrincipals: principalPatternList(DEPLOY_PURPOSE)
      .min(1, {
        error:
          'must name at least the role CloudFormation deploys the stack with, or be left out (the CDK bootstrap execution role): with none, no deploy could change the lake bucket',
      })
      .optional(),
    // S3 moves an object to STANDARD_IA only once it is 30 days old (a lifecycle rule saying less is refused).
    infrequentAccessAfterDays: wholeNumber(MIN_STANDARD_IA_DAYS, 3650, 90).nullable().default(90),
    glacierInstantRetrievalAfterDays: wholeNumber(30, 3650, 365).nullable().default(365),
  })
  .superRefine((retention, ctx) => {
    const { lockDays, noncurrentVersionDays } = retention;
    checkAccessLogOutlivesEvidence(retention, ctx);
    checkMaxDaysOutlivesLock(retention, ctx);
    if (noncurrentVersionDays !== undefined && noncurrentVersionDays < lockDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['noncurrentVersionDays'],
        message: `must be at least retention.lockDays (${lockDays}): replaced versions are the evidence of what an hour held before, and are kept at least as long as Object Lock retains them. Set it to ${lockDays} or more, or leave it out`,
      });
    }
    const ia = retention.infrequentAccessAfterDays;
    const gir = retention.glacierInstantRetrievalAfterDays;
    // S3 refuses a lifecycle rule that moves objects on from STANDARD_IA before they have spent
    // MIN_STANDARD_IA_DAYS there: the deploy would fail, not the synth.
    if (ia !== null && gir !== null && gir < ia + MIN_STANDARD_IA_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['glacierInstantRetrievalAfterDays'],
        message: `must be at least ${MIN_STANDARD_IA_DAYS} days after infrequentAccessAfterDays (${ia}), so ${ia + MIN_STANDARD_IA_DAYS} or more: S3 refuses a lifecycle rule that moves objects out of STANDARD_IA before they have been there ${MIN_STANDARD_IA_DAYS} days, and the deploy would fail. Raise it, lower infrequentAccessAfterDays, or set either to null to skip that transition`,
      });
    }
  })
  .transform((retention) => ({
    ...retention,
    accessLogDays: retention.accessLogDays ?? evidenceDaysOf(retention) + ACCESS_LOG_MARGIN_DAYS,
  }));
