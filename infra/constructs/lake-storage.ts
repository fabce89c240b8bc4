import {
  Annotations,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  alertsStatePrefix,
  digestPrefix,
  type LakeTable,
  statePrefix,
  TABLE_PREFIXES,
  tableInstancePrefix,
} from '../../functions/core/lake/layout.ts';
import { arnLike } from '../config/arn-like.ts';
import { ConfigError } from '../config/config-error.ts';
import { arnRegion } from '../config/instance-secret.ts';
import type { ActivityLakeConfig } from '../config.ts';
import { AdoptedLakePolicy, adoptedLakeNotes, tlsOnly } from './adopted-lake-policy.ts';
import { expiryRules } from './lake-expiry.ts';
import { BUCKET_POLICY_MAX_BYTES, deployedPolicyBytes } from './policy-size.ts';

interface LakeStorageProps {
  retention: ActivityLakeConfig['retention'];
  removalPolicy: RemovalPolicy;
  /**
   * `lakeEncryption.kmsKeyArn`: the customer managed key the lake and the Athena results are
   * encrypted with (SSE-KMS, bucket keys). Left out: SSE-S3.
   */
  kmsKeyArn?: string | undefined;
  /**
   * `adoptLake.bucketName`: the lake a destroyed stack kept, used instead of a new one. Its own
   * settings stay as that stack left them; its policy is the stack's ({@link AdoptedLakePolicy}).
   */
  adoptedBucketName?: string | undefined;
  /** `lakeEncryption.retiredKmsKeyArns`: keys the lake was encrypted with before, still read. */
  retiredKmsKeyArns?: readonly string[] | undefined;
}

/**
 * The bucket-policy statement's id that refuses a put asking for another encryption than the
 * lake's key: SSE-S3, or SSE-KMS under another key or under none named.
 */
export const ONLY_LAKE_KEY_PUTS = 'OnlyLakeKeyPuts';

/**
 * What a role that reads and writes the lake (or the Athena results) needs of the lake's key, and
 * only through S3: a data key to encrypt a new object (a bucket key, with bucket keys on) and its
 * decryption to read one back (and to complete a multipart upload).
 */
export const LAKE_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/**
 * Refuses a key of another region than the stack's (when the stack names its region): S3 encrypts
 * a bucket's objects only with a key of the bucket's own region, so the deploy would fail on the
 * bucket's encryption.
 *
 * @throws ConfigError naming both regions.
 */
function refuseKeyOfAnotherRegion(scope: Construct, kmsKeyArn: string): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) return;
  const keyRegion = arnRegion(kmsKeyArn);
  if (keyRegion === undefined || keyRegion === region) return;
  throw new ConfigError([
    `lakeEncryption.kmsKeyArn: the key is in ${keyRegion}, but the stack deploys to ${region}: S3 encrypts a bucket only with a key of its own region, so the deploy would fail. Name a key of ${region} (a multi-Region key's replica there has an ARN of that region)`,
  ]);
}

/** Key prefix of Athena query results in the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena/';

/**
 * What a role that writes to the lake (an ingest, the alerts, the weekly report) may never do to
 * the lake bucket, whatever else it is granted: remove a version (delete markers included), shorten
 * or lift a retention, bypass governance mode, change the bucket's lock, versioning, lifecycle or
 * policy, or weaken what records and protects it: turn off or redirect its access logs (the trail
 * that says who deleted something), open it to the public or to another account (ACLs, ownership,
 * the public access block), swap its encryption, or copy it elsewhere by replication.
 */
export const INGEST_FORBIDDEN_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:DeleteBucket',
  's3:PutBucketLogging',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutBucketAcl',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:PutEncryptionConfiguration',
  's3:PutReplicationConfiguration',
] as const;

/**
 * The lake prefixes one instance's ingest writes: its tables' partitions, its checkpoint and its
 * digest chain. One list serves two rules: the ingest role may touch only these
 * (`InstanceIngest`), and every write there must be conditional, `If-Match` or `If-None-Match`
 * ({@link LakeStorage.guardIngestWriter}), because the ingest writes nothing any other way. Keep
 * in step with the writers: an unconditional put there is refused with 403.
 */
export function instanceLakePrefixes(instance: string): string[] {
  return [
    ...(Object.keys(TABLE_PREFIXES) as LakeTable[]).map((table) => tableInstancePrefix(table, instance)),
    statePrefix(instance),
    digestPrefix(instance),
  ];
}

/**
 * `activity_log/instance=acme/` → `activity_log/instance=*`: the prefix of every instance that
 * `prefix` (one of {@link instanceLakePrefixes}) is the prefix of `instance` in.
 */
function prefixFamily(prefix: string, instance: string): string {
  const own = `instance=${instance}/`;
  if (!prefix.endsWith(own)) throw new Error(`lake prefix "${prefix}" does not end in "${own}"`);
  return `${prefix.slice(0, -own.length)}instance=*`;
}

/** Days a replaced table version stays in STANDARD: S3 moves none to STANDARD_IA sooner. */
const NONCURRENT_INFREQUENT_ACCESS_DAYS = 30;
/** Days a replaced table version waits before GLACIER_IR: 60 of them in STANDARD_IA, twice its minimum. */
const NONCURRENT_GLACIER_IR_DAYS = 90;
/** The storage S3 bills at least, per object, in each class (deleting sooner is billed the rest). */
const MINIMUM_STORAGE_DAYS = { STANDARD_IA: 30, GLACIER_IR: 90 } as const;

/**
 * Where replaced versions of table objects go while Object Lock keeps them (lockDays, 365 by
 * default): every late event rewrites its hour's whole object, and the version replaced would
 * otherwise stay in STANDARD all that time. Each class follows the switch of its current-data
 * transition (null: not used), and is left out when the version would expire before the class's
 * minimum storage has passed (it would be billed the minimum for nothing). GLACIER_IR, not GLACIER
 * or DEEP_ARCHIVE: its reads are instant, so `verify` and anyone reading an old version still can;
 * transitions change neither a version's bytes, its ETag, nor its retention.
 */
function noncurrentVersionTransitions(
  retention: ActivityLakeConfig['retention'],
): s3.NoncurrentVersionTransition[] {
  const expiresAfter = retention.noncurrentVersionDays ?? retention.lockDays;
  const kept = (after: number, storageClass: keyof typeof MINIMUM_STORAGE_DAYS) =>
    after + MINIMUM_STORAGE_DAYS[storageClass] <= expiresAfter;
  const moves: s3.NoncurrentVersionTransition[] = [];
  if (
    retention.infrequentAccessAfterDays !== null &&
    kept(NONCURRENT_INFREQUENT_ACCESS_DAYS, 'STANDARD_IA')
  ) {
    moves.push({
      storageClass: s3.StorageClass.INFREQUENT_ACCESS,
      transitionAfter: Duration.days(NONCURRENT_INFREQUENT_ACCESS_DAYS),
    });
  }
  if (retention.glacierInstantRetrievalAfterDays !== null && kept(NONCURRENT_GLACIER_IR_DAYS, 'GLACIER_IR')) {
    moves.push({
      storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
      transitionAfter: Duration.days(NONCURRENT_GLACIER_IR_DAYS),
    });
  }
  return moves;
}

/**
 * Lets CloudFormation turn Object Lock on for a lake bucket created without it by updating the
 * bucket, not replacing it. CDK writes the lock twice: the top-level `ObjectLockEnabled`, which
 * CloudFormation applies only by creating a new bucket (the stack, its functions, tables and the
 * `LakeBucketName` output would move to an empty one; the old bucket is retained, not emptied),
 * and `ObjectLockConfiguration`, whose change is an update without interruption: S3 enables the
 * lock on an existing versioned bucket. Only the first is dropped; the retention stays.
 */
function lockInPlace(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('ObjectLockEnabled');
}

/** The bucket-policy statement's id that keeps deletes to `retention.deleteAllowedPrincipals`. */
export const ONLY_NAMED_PRINCIPALS_DELETE = 'OnlyNamedPrincipalsDelete';

/** The bucket-policy statement's id that keeps writes to the stack's roles and named principals. */
export const ONLY_NAMED_PRINCIPALS_WRITE = 'OnlyNamedPrincipalsWrite';

/** The bucket-policy statement's id that keeps an object's retention to the break-glass principals. */
export const ONLY_NAMED_PRINCIPALS_RETAIN = 'OnlyNamedPrincipalsRetain';

/** The bucket-policy statement's id that keeps reads of the lake and the Athena results to named principals. */
export const ONLY_NAMED_PRINCIPALS_READ = 'OnlyNamedPrincipalsRead';

/**
 * What only the stack's readers and named principals may do to an object of the lake or the Athena
 * results: read its bytes (`s3:GetObject` is also HeadObject and S3 Select), of the current version
 * or an older one, for replication too, or its attributes (size, checksum, ETag, retention, legal
 * hold). Listing keys is left to IAM: a key
 * holds an instance's name and an hour, not an event.
 */
export const NAMED_READ_ACTIONS = [
  's3:GetObject',
  's3:GetObjectAttributes',
  // What S3 replication reads a source object with, as the replication role: its bytes, and for
  // a source with Object Lock its retention and legal hold (review R-SECOND9 M1). The stack never
  // replicates; a replication role then reads only if named. In the order CDK writes them.
  's3:GetObjectLegalHold',
  's3:GetObjectRetention',
  's3:GetObjectVersion',
  's3:GetObjectVersionAttributes',
  's3:GetObjectVersionForReplication',
];

/**
 * What only the stack's writers and named principals may do to a lake object: write one
 * (`s3:PutObject` is also CopyObject and every step of a multipart upload), or have S3 replication
 * write one into the lake as a replica (`s3:ReplicateObject`, what a replication role of another
 * bucket writes its destination with). A replication role of the same account needs no grant from
 * the destination's policy, only IAM's (S3 User Guide, "Setting up permissions for live
 * replication"), so a role allowed `s3:ReplicateObject` on `*` and a bucket of one's own with a
 * rule naming the lake put new current versions of hours, manifests and digests past the
 * `s3:PutObject` guard.
 */
export const NAMED_WRITE_ACTIONS = ['s3:PutObject', 's3:ReplicateObject'];

/**
 * What only the break-glass principals (`retention.deleteAllowedPrincipals`) may do to a lake
 * object: delete it (a delete marker) or a version of it, or have S3 replication put a delete
 * marker over it (`s3:ReplicateDelete`, a replication rule's delete-marker replication into the
 * lake as its destination): a marker hides the object from every reader and makes its version
 * noncurrent, which the noncurrent-version lifecycle rule later purges.
 */
export const NAMED_DELETE_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:ReplicateDelete'];

/**
 * What only the break-glass principals (`retention.deleteAllowedPrincipals`) may do: set an
 * object's retention (a COMPLIANCE-mode retention of a century would make every version
 * undeletable, by the break-glass role too, and unexpirable; shortening one needs the bypass).
 * Not the stack's writers nor `writeAllowedPrincipals`: no ingest or enrich sets a retention, and
 * an operators' role made to write by hand must not be able to lock the lake for good (review
 * R-SECOND4). Legal holds are left to IAM: a hold only keeps a version, and lifting one leaves its
 * retention and the delete guard.
 */
export const NAMED_RETAIN_ACTIONS = ['s3:BypassGovernanceRetention', 's3:PutObjectRetention'];

/** The bucket-policy statement's id that keeps the lake bucket's configuration to the deploy and break-glass principals. */
export const ONLY_NAMED_PRINCIPALS_CONFIGURE = 'OnlyNamedPrincipalsConfigure';

/**
 * The lake bucket's configuration calls that hide or copy its data, or silence what records that,
 * with no request the other guards see: a lifecycle rule expiring hours (its markers are S3's own,
 * the delete guard never applies) or purging replaced versions once their lock ends, a replication
 * copying every object to another account (S3 reads with its own action, past the read guard),
 * versioning suspended, the lock's default retention shortened, the EventBridge notifications that
 * feed the deletions log turned off, the access log redirected, the default encryption switched to
 * a key someone else holds (new objects then unreadable once that key is disabled or deleted).
 * Only CloudFormation (deploying the stack's own settings) and the break-glass principals make
 * them. `DeleteBucketLifecycle` and
 * `DeleteBucketReplication` are authorized by the same two Put actions, `DeleteBucketEncryption`
 * by `PutEncryptionConfiguration`.
 */
export const NAMED_CONFIGURE_ACTIONS = [
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketNotification',
  's3:PutBucketLogging',
  's3:PutEncryptionConfiguration',
];

/** The role name of the CDK bootstrap's CloudFormation execution role, of any qualifier. */
const CDK_EXEC_ROLE_NAME = (account: string, region: string) => `cdk-*-cfn-exec-role-${account}-${region}`;

/**
 * The principals CloudFormation may deploy the stack as, by default: the CDK bootstrap's execution
 * role in the stack's account and region, whatever the bootstrap's qualifier (`cdk-<qualifier>-…`).
 */
export function defaultDeployPrincipals(scope: Construct): string[] {
  const stack = Stack.of(scope);
  return [
    stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: CDK_EXEC_ROLE_NAME(stack.account, stack.region),
    }),
  ];
}

/** The principals CloudFormation may deploy the stack as: `retention.deployPrincipals`, or {@link defaultDeployPrincipals}. */
export function deployPrincipalsOf(scope: Construct, retention: ActivityLakeConfig['retention']): string[] {
  return [...(retention.deployPrincipals ?? defaultDeployPrincipals(scope))];
}

/**
 * Why none of `patterns` may match the role CloudFormation deploys this stack with, or undefined:
 * the stack's synthesizer names that role (the CDK bootstrap's `cfn-exec-role` of its qualifier).
 * Unknown while the stack's account or region is (no `CDK_DEFAULT_ACCOUNT`/`REGION`), and when the
 * deploy passes its own role (`cdk deploy --role-arn`), which synth never sees.
 */
export function deployPrincipalsProblem(scope: Construct, patterns: readonly string[]): string | undefined {
  const stack = Stack.of(scope);
  const synthesizer = stack.synthesizer;
  if (!(synthesizer instanceof DefaultStackSynthesizer)) return undefined;
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return undefined;
  const role = synthesizer.cloudFormationExecutionRoleArn
    .replaceAll('${AWS::Partition}', Token.isUnresolved(stack.partition) ? 'aws' : stack.partition)
    .replaceAll('${AWS::AccountId}', stack.account)
    .replaceAll('${AWS::Region}', stack.region);
  if (patterns.some((pattern) => arnLike(pattern, role))) return undefined;
  return `retention.deployPrincipals (${patterns.join(', ')}) does not match ${role}, the CDK bootstrap role CloudFormation deploys this stack with: the lake bucket's policy would then refuse CloudFormation its lifecycle, versioning, replication, lock, notification and logging changes, and the next deploy that changes one of them would fail and roll back. Name that role (or the one you pass to cdk deploy --role-arn, which synth cannot see), or leave the setting out (docs/configuration.md).`;
}

/** The id of the warning that says what a stack adopting a kept lake leaves as it is. */
export const ADOPTED_LAKE_NOTES = 'domo-activity-lake:adoptedLake';

/** The id of the warning {@link deployPrincipalsProblem} gives. */
export const DEPLOY_PRINCIPALS_UNMATCHED = 'domo-activity-lake:deployPrincipalsUnmatched';

/**
 * Denies `actions` on every object of `bucket` to every principal whose `aws:PrincipalArn`
 * matches none of `allowed` (ARN patterns). With `retention.deleteAllowedPrincipals` and the
 * actions that remove anything it guards deletes: Object Lock guards versions only, a
 * `DeleteObject` without a version id just adds a delete marker, which needs no bypass, hides the
 * object from every reader, and makes each version it hides noncurrent, so the noncurrent-version
 * lifecycle rule later purges it. Many roles of an account hold `s3:DeleteObject` (and
 * `s3:PutObject`) on `*` (CI, data engineering, PowerUserAccess). Lifecycle expirations are S3's
 * own and not subject to the policy.
 */
function onlyNamedPrincipals(
  sid: string,
  actions: string[],
  bucket: s3.IBucket,
  allowed: readonly string[],
): iam.PolicyStatement {
  const statement = new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions,
    resources: [bucket.arnForObjects('*')],
  });
  exemptNamed(statement, allowed);
  return statement;
}

/** Sets who `statement` exempts; none named: the Deny holds for every principal, with no condition to weigh. */
function exemptNamed(statement: iam.PolicyStatement, allowed: readonly string[]): void {
  if (allowed.length > 0) statement.addCondition('ArnNotLike', { 'aws:PrincipalArn': [...allowed] });
}

/**
 * Denies every caller that is not an AWS service writing an object of the access-log bucket: the
 * bucket is not versioned, so an overwrite by a role allowed s3:PutObject on `*` would replace a
 * log of who deleted from the lake with nothing kept (review R-STACK3 F1). S3's server access log
 * delivery writes as its service principal (`aws:PrincipalIsAWSService` true), and nothing else
 * writes there.
 */
function onlyLogDeliveryWrites(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'OnlyLogDeliveryWrites',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects('*')],
    conditions: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  });
}

/** The alerts' state folder (`alerts-state/`), which ages like the tables. */
const ALERTS_STATE_FOLDER = alertsStatePrefix('main').split('/')[0] as string;

/**
 * The lake bucket (Object Lock in governance mode, versioned, encrypted, private, TLS-only, access-logged, with table data moving
 * to cheaper storage classes over time), the Athena results bucket (expiring), and the bucket
 * that receives both buckets' server access logs.
 */
export class LakeStorage extends Construct {
  /** The lake: created, or the kept one `adoptLake.bucketName` names. */
  readonly lakeBucket: s3.IBucket;
  /** The adopted lake's policy, put by the stack ({@link AdoptedLakePolicy}); none for a created lake. */
  private readonly adoptedPolicy: iam.PolicyDocument | undefined;
  /** What puts {@link adoptedPolicy} on the adopted lake; none for a created lake. */
  readonly adoptedPolicyPut: AdoptedLakePolicy | undefined;
  readonly resultsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  /** `s3://<lake bucket>/`: the root every lake key is relative to. */
  readonly lakeRootUri: string;
  /** `s3://<results bucket>/athena/`. */
  readonly resultsUri: string;
  /** The bucket policy's Deny for every lake writer, created with the first one. */
  private neverRewriteHistory?: iam.PolicyStatement;
  /** The bucket policy's Denies for every ingest role, created with the first one. */
  private ingestWriteGuards?: iam.PolicyStatement[];
  /** The bucket policy's Deny of writes to all but the stack's writers and the named principals. */
  private readonly onlyNamedWrite: iam.PolicyStatement;
  /** The named principals that may write by hand: delete- and write-allowed alike. */
  private readonly handWriters: string[];
  /** The bucket policy's Deny of reads to all but the stack's readers and the named principals. */
  private readonly onlyNamedRead: iam.PolicyStatement;
  /** The results bucket's Deny of reads to all but the stack's Athena callers and the named principals. */
  private readonly onlyNamedResultsRead: iam.PolicyStatement;
  /** The named principals that may read by hand: read-, write- and delete-allowed alike. */
  private readonly handReaders: string[];
  /** The role ARNs of the stack's Athena callers, in the order they were guarded. */
  private readonly athenaCallerArns: string[] = [];
  /** The role ARNs of the stack's lake writers, in the order they were guarded. */
  private readonly writerArns: string[] = [];
  /** `lakeEncryption.kmsKeyArn`'s key, which encrypts the lake and the Athena results; none: SSE-S3. */
  readonly lakeKey?: kms.IKey;
  /** `lakeEncryption.retiredKmsKeyArns`: each role granted {@link lakeKey} may decrypt with them too. */
  readonly retiredKeyArns: readonly string[];
  /** Every key the lake's objects may be encrypted under: {@link lakeKey}'s first, then the retired. */
  readonly keyArns: readonly string[];
  /** The roles granted the use of {@link lakeKey} through S3, each once. */
  private readonly keyUsers = new Set<iam.IRole>();

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    const { retention, removalPolicy } = props;
    if (props.kmsKeyArn !== undefined) refuseKeyOfAnotherRegion(this, props.kmsKeyArn);
    this.lakeKey =
      props.kmsKeyArn === undefined ? undefined : kms.Key.fromKeyArn(this, 'LakeKey', props.kmsKeyArn);
    this.retiredKeyArns = props.retiredKmsKeyArns ?? [];
    this.keyArns = [...(props.kmsKeyArn === undefined ? [] : [props.kmsKeyArn]), ...this.retiredKeyArns];

    const privateBucket = {
      // SSE-S3 unless a customer key is named: the access log stays SSE-S3 even then (S3 delivers
      // server access logs to SSE-S3 destinations), and Athena reads it without extra grants.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    } satisfies s3.BucketProps;

    // The lake and its access log are retained whatever `removalPolicy` says (only the Athena
    // results bucket follows it). CloudFormation cannot delete a bucket that holds objects, and
    // Object Lock keeps the lake's versions lockDays from anyone without a governance bypass: a
    // destroy would delete the bucket policies first (they depend on the buckets), then fail on
    // the buckets, leaving the stack DELETE_FAILED and the surviving lake without its TLS-only
    // Deny and writer guards, and its access-log bucket refusing log delivery.
    // The lake goes on the rollback of the create that made it: nothing writes to it before the
    // secret is put (Object Lock only locks what is written), and a retained lake would be
    // orphaned by every failed first deploy. The access-log bucket is kept even then: S3 logs the
    // create's own calls on the lake (its policy, lifecycle, notifications) into it, and a delete
    // of a bucket holding them would fail and leave the stack ROLLBACK_FAILED. Its generated name
    // never blocks the retry, and its lifecycle rule expires what it holds.
    const keptBucket = {
      ...privateBucket,
      ...this.keyEncryption(),
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    } satisfies s3.BucketProps;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retention.accessLogDays) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log destination of the lake and results buckets; logging it to itself would log its own log deliveries forever.',
    });

    if (props.adoptedBucketName === undefined) {
      this.lakeBucket = this.createLake(retention, keptBucket);
      this.adoptedPolicy = undefined;
    } else {
      this.lakeBucket = s3.Bucket.fromBucketAttributes(this, 'Lake', {
        bucketName: props.adoptedBucketName,
        ...(this.lakeKey ? { encryptionKey: this.lakeKey } : {}),
      });
      this.adoptedPolicy = new iam.PolicyDocument({ statements: [tlsOnly(this.lakeBucket)] });
      Annotations.of(this).addWarningV2(ADOPTED_LAKE_NOTES, adoptedLakeNotes(props.adoptedBucketName));
    }
    const deleters = retention.deleteAllowedPrincipals;
    this.guardLake(
      onlyNamedPrincipals(ONLY_NAMED_PRINCIPALS_DELETE, NAMED_DELETE_ACTIONS, this.lakeBucket, deleters),
    );
    // Without it a role allowed s3:PutObject on `*` could replace an hour, a manifest or a digest
    // (a new version readers take for the object) and, with kms:Sign, sign the chain anew. The
    // stack's writers join the list as they are guarded; S3 writes the access log elsewhere.
    this.handWriters = [...new Set([...retention.writeAllowedPrincipals, ...deleters])];
    this.onlyNamedWrite = onlyNamedPrincipals(
      ONLY_NAMED_PRINCIPALS_WRITE,
      NAMED_WRITE_ACTIONS,
      this.lakeBucket,
      this.handWriters,
    );
    this.guardLake(this.onlyNamedWrite);
    this.guardLake(
      onlyNamedPrincipals(ONLY_NAMED_PRINCIPALS_RETAIN, NAMED_RETAIN_ACTIONS, this.lakeBucket, deleters),
    );
    // Without it any role allowed s3:GetObject on `*` (ReadOnlyAccess, a CI role) reads every
    // login, IP address and share of every instance (review R-SECURITY M2). Athena reads the lake
    // with its caller's credentials, so the analysts' roles must be named. Those who write or
    // delete by hand read too (a checkpoint, a version copied back). The stack's readers (every
    // one of them also writes) join as they are guarded.
    this.handReaders = [...new Set([...retention.readAllowedPrincipals, ...this.handWriters])];
    this.onlyNamedRead = onlyNamedPrincipals(
      ONLY_NAMED_PRINCIPALS_READ,
      NAMED_READ_ACTIONS,
      this.lakeBucket,
      this.handReaders,
    );
    this.guardLake(this.onlyNamedRead);
    // Review R-SECOND9 H1: a lifecycle rule added by hand hides hours with no request the delete
    // guard could refuse, and a replication copies the lake out past the read guard. CloudFormation
    // writes these on a deploy that changes them, as the deploy principal; a first deploy writes
    // them with the bucket, before this policy exists. Not PutBucketPolicy: the deploy principal
    // must always be able to correct this list (docs/decisions.md).
    const deployers = deployPrincipalsOf(this, retention);
    const configure = new iam.PolicyStatement({
      sid: ONLY_NAMED_PRINCIPALS_CONFIGURE,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: NAMED_CONFIGURE_ACTIONS,
      resources: [this.lakeBucket.bucketArn],
    });
    exemptNamed(configure, [...new Set([...deployers, ...deleters])]);
    this.guardLake(configure);
    for (const statement of this.onlyLakeKeyPuts()) this.guardLake(statement);
    if (retention.deployPrincipals) {
      const problem = deployPrincipalsProblem(this, retention.deployPrincipals);
      if (problem) Annotations.of(this).addWarningV2(DEPLOY_PRINCIPALS_UNMATCHED, problem);
    }
    // The access log is the record of who deleted from the lake: the same principals only, or a
    // role allowed s3:DeleteObject on `*` could erase it unseen. Its lifecycle expiry and S3's log
    // delivery (PutObject) are not requests this denies; an overwrite by anyone else is.
    // Not ReplicateDelete: replication writes only to a versioned bucket, which the log is not.
    const logDeletes = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
    this.accessLogsBucket.addToResourcePolicy(
      onlyNamedPrincipals(ONLY_NAMED_PRINCIPALS_DELETE, logDeletes, this.accessLogsBucket, deleters),
    );
    this.accessLogsBucket.addToResourcePolicy(onlyLogDeliveryWrites(this.accessLogsBucket));

    this.resultsBucket = new s3.Bucket(this, 'AthenaResults', {
      ...privateBucket,
      // A query's results are rows of the lake: under the lake's key when it has one.
      ...this.keyEncryption(),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(retention.athenaResultsDays),
          // Cancelled queries (bytes-scanned cutoff) can leave partial multipart uploads behind.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    // A query's results are the rows it selected from the lake: the same readers, and of the
    // stack's roles only those that run queries, join as they are guarded.
    this.onlyNamedResultsRead = onlyNamedPrincipals(
      ONLY_NAMED_PRINCIPALS_READ,
      NAMED_READ_ACTIONS,
      this.resultsBucket,
      this.handReaders,
    );
    this.resultsBucket.addToResourcePolicy(this.onlyNamedResultsRead);

    // CDK leaves a bucket policy's removal policy at Delete whatever the bucket's: `cdk destroy`
    // would keep the buckets but strip the policies, so the log bucket stops accepting access logs
    // and the lake loses its TLS-only Deny and the writers' guards.
    this.accessLogsBucket.policy?.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.lakeBucket.policy?.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.resultsBucket.policy?.applyRemovalPolicy(removalPolicy);

    if (this.adoptedPolicy) {
      this.adoptedPolicyPut = new AdoptedLakePolicy(this, 'AdoptedLakePolicy', {
        bucket: this.lakeBucket,
        document: this.adoptedPolicy,
        logRetention: retention.logDays as logs.RetentionDays,
        removalPolicy,
      });
    }
    this.node.addValidation({ validate: () => this.lakePolicyProblems() });

    this.lakeRootUri = `s3://${this.lakeBucket.bucketName}/`;
    this.resultsUri = `s3://${this.resultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`;
  }

  /**
   * The lake bucket the stack creates: Object Lock in governance mode, versioned, access-logged,
   * table data moving to colder classes, expiring with `retention.maxDays`.
   */
  private createLake(retention: ActivityLakeConfig['retention'], keptBucket: s3.BucketProps): s3.Bucket {
    const transitions: s3.Transition[] = [];
    if (retention.infrequentAccessAfterDays !== null) {
      transitions.push({
        storageClass: s3.StorageClass.INFREQUENT_ACCESS,
        transitionAfter: Duration.days(retention.infrequentAccessAfterDays),
      });
    }
    if (retention.glacierInstantRetrievalAfterDays !== null) {
      transitions.push({
        storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
        transitionAfter: Duration.days(retention.glacierInstantRetrievalAfterDays),
      });
    }

    const noncurrentTransitions = noncurrentVersionTransitions(retention);

    const lake = new s3.Bucket(this, 'Lake', {
      ...keptBucket,
      versioned: true,
      // Every version is retained lockDays: nobody without s3:BypassGovernanceRetention (which no
      // function role has, and the bucket policy denies to ingest roles) can remove it sooner.
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(retention.lockDays)),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'lake/',
      // Stated rather than inherited: hourly files under 128 KB stay in STANDARD, where a
      // transition would cost more in per-object fees and minimum sizes than it saves.
      transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(retention.noncurrentVersionDays ?? retention.lockDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        // Table data ages into colder classes (both stay queryable by Athena), and so does the
        // alerts' state: its login profile (MBs on a busy instance) and checkpoint are rewritten
        // every run and Object Lock keeps each version replaced lockDays, evidence never read
        // (review R-COST LOW-3). The checkpoint under state/ is small and stays in STANDARD.
        ...(transitions.length === 0 && noncurrentTransitions.length === 0
          ? []
          : [...Object.values(TABLE_PREFIXES), ALERTS_STATE_FOLDER].map((prefix) => ({
              id: `age-${prefix}`,
              prefix: `${prefix}/`,
              ...(transitions.length === 0 ? {} : { transitions }),
              ...(noncurrentTransitions.length === 0
                ? {}
                : { noncurrentVersionTransitions: noncurrentTransitions }),
            }))),
        ...expiryRules(retention.maxDays),
      ],
    });

    if (retention.lakeBucketPredatesLock) lockInPlace(lake);
    return lake;
  }

  /** Adds `statement` to the lake's policy: the created bucket's, or the one put on the adopted bucket. */
  private guardLake(statement: iam.PolicyStatement): void {
    if (this.adoptedPolicy) this.adoptedPolicy.addStatements(statement);
    else this.lakeBucket.addToResourcePolicy(statement);
  }

  /** The bucket properties of SSE-KMS under {@link lakeKey} with bucket keys; none without a key. */
  private keyEncryption(): Partial<s3.BucketProps> {
    if (!this.lakeKey) return {};
    // Bucket keys: S3 asks KMS for a data key per bucket and period, not per object (an hour's
    // object and its manifest each cost a KMS request without them).
    return { encryption: s3.BucketEncryption.KMS, encryptionKey: this.lakeKey, bucketKeyEnabled: true };
  }

  /**
   * With a customer key: the lake bucket's Deny of a put that asks for an encryption of its own
   * (`x-amz-server-side-encryption` present) without naming the lake's key: SSE-S3 (`AES256`, which
   * takes no key), or SSE-KMS under another key or under none named (S3 then takes the AWS managed
   * key aws/s3, not the bucket's). A put that asks for nothing, as every writer of the project
   * does, gets the bucket's default: the key. `aws:kms:dsse` under the lake's key passes: its
   * second layer is under the same key.
   */
  private onlyLakeKeyPuts(): iam.PolicyStatement[] {
    if (!this.lakeKey) return [];
    return [
      new iam.PolicyStatement({
        sid: ONLY_LAKE_KEY_PUTS,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.lakeBucket.arnForObjects('*')],
        conditions: {
          Null: { 's3:x-amz-server-side-encryption': 'false' },
          // A key not in the request does not equal the lake's: the Deny holds for AES256 and bare aws:kms.
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.lakeKey.keyArn },
        },
      }),
    ];
  }

  /**
   * Lets `role` use {@link lakeKey} through S3 ({@link LAKE_KEY_ACTIONS}): every role of the stack
   * that touches the lake or the Athena results both reads and writes there. Nothing without a key.
   * An IAM grant: the key's policy must let the account's IAM policies grant its use (its default
   * root statement does; docs/configuration.md, "Lake encryption"). With retired keys, their
   * decryption alike: the objects written under them are read, none is written.
   */
  private grantKeyUse(role: iam.IRole): void {
    if ((!this.lakeKey && this.retiredKeyArns.length === 0) || this.keyUsers.has(role)) return;
    this.keyUsers.add(role);
    const throughS3 = { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } };
    if (this.lakeKey) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: LAKE_KEY_ACTIONS,
          resources: [this.lakeKey.keyArn],
          conditions: throughS3,
        }),
      );
    }
    if (this.retiredKeyArns.length > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [...this.retiredKeyArns],
          conditions: throughS3,
        }),
      );
    }
  }

  /**
   * Bucket-policy guard for one instance's ingest role: its object writes under
   * {@link instanceLakePrefixes} must carry `If-Match` or `If-None-Match` (so no run can
   * overwrite an hour blindly), and {@link INGEST_FORBIDDEN_ACTIONS} are denied outright. Deny
   * statements in the bucket policy hold even if someone later attaches a broader policy to the role.
   *
   * One statement of each kind serves every ingest role, so the policy (at most 20 KB) grows by a
   * role ARN per instance, not by statements and prefixes. Its resources are the prefix families
   * (`activity_log/instance=*`, ...): each role is thus also denied unconditional writes under the
   * other instances' prefixes, where its own policy grants it nothing, so no write is newly refused.
   */
  guardIngestWriter(instance: string, role: iam.IRole): void {
    const principal = new iam.ArnPrincipal(role.roleArn);
    if (!this.ingestWriteGuards) {
      const familyArns = (prefixes: string[]) =>
        prefixes.map((prefix) => this.lakeBucket.arnForObjects(prefixFamily(prefix, instance)));
      this.ingestWriteGuards = [
        new iam.PolicyStatement({
          sid: 'RequireConditionalWrites',
          effect: iam.Effect.DENY,
          actions: ['s3:PutObject'],
          resources: familyArns(instanceLakePrefixes(instance)),
          conditions: {
            // Both headers absent; the operation check exempts the parts of a multipart upload,
            // which cannot carry them (their completion can, and is covered).
            Null: { 's3:if-none-match': 'true', 's3:if-match': 'true' },
            Bool: { 's3:ObjectCreationOperation': 'true' },
          },
        }),
        // The digest chain is append-only in S3 itself, not only in the code: with If-Match allowed
        // there, a role that can also sign could replace a digest mid-chain and sign it anew, and
        // verify (which reads current versions) would pass.
        new iam.PolicyStatement({
          sid: 'DigestsCreateOnly',
          effect: iam.Effect.DENY,
          actions: ['s3:PutObject'],
          resources: familyArns([digestPrefix(instance)]),
          conditions: {
            Null: { 's3:if-none-match': 'true' },
            Bool: { 's3:ObjectCreationOperation': 'true' },
          },
        }),
      ];
      for (const statement of this.ingestWriteGuards) this.guardLake(statement);
    }
    for (const statement of this.ingestWriteGuards) statement.addPrincipals(principal);
    this.guardLakeWriter(role);
  }

  /** Why S3 would refuse the lake bucket's policy at deploy (synth would not notice): its size. */
  private lakePolicyProblems(): string[] {
    const document = this.adoptedPolicy ?? this.lakeBucket.policy?.document;
    if (!document) return [];
    const bytes = deployedPolicyBytes(this, document);
    if (bytes <= BUCKET_POLICY_MAX_BYTES) return [];
    const writers = this.neverRewriteHistory?.principals.length ?? 0;
    const named = this.handReaders.length;
    const lists = 'retention.deleteAllowedPrincipals, writeAllowedPrincipals and readAllowedPrincipals';
    // The named principals' lists can fill the policy too: then fewer instances would not be the fix.
    const fewerNamed =
      named === 0 ? '' : ` Or name fewer principals in ${lists} (one pattern with "*" can cover several).`;
    return [
      `The lake bucket policy would be about ${Math.ceil(bytes / 1024)} KB once deployed (it names each of the ${writers} roles that write to the lake, and the ${named} principals ${lists} name), over the 20 KB S3 accepts: the deploy would fail. Deploy fewer instances per stack: split "instances" between stacks, each with its own "stackName".${fewerNamed}`,
    ];
  }

  /**
   * Denies {@link INGEST_FORBIDDEN_ACTIONS} to `role` in the bucket policy: every role of the stack
   * that writes to the lake gets it. One statement lists them all, so the policy (at most 20 KB)
   * grows by one ARN per writer, not by a statement. With a customer key, `role` may also use it
   * through S3 (every writer reads too).
   */
  guardLakeWriter(role: iam.IRole): void {
    if (!this.neverRewriteHistory) {
      this.neverRewriteHistory = new iam.PolicyStatement({
        sid: 'NeverRewriteHistory',
        effect: iam.Effect.DENY,
        actions: [...INGEST_FORBIDDEN_ACTIONS],
        resources: [this.lakeBucket.bucketArn, this.lakeBucket.arnForObjects('*')],
      });
      this.guardLake(this.neverRewriteHistory);
    }
    this.neverRewriteHistory.addPrincipals(new iam.ArnPrincipal(role.roleArn));
    this.grantKeyUse(role);
    this.writerArns.push(role.roleArn);
    exemptNamed(this.onlyNamedWrite, [...this.writerArns, ...this.handWriters]);
    // Every writer of the stack reads what it merges into, and no role of the stack reads without writing.
    exemptNamed(this.onlyNamedRead, [...this.writerArns, ...this.handReaders]);
  }

  /**
   * Exempts `role`, which runs Athena queries (the weekly report), from the results bucket's read
   * guard: Athena writes a query's results with its caller's credentials and the caller reads them
   * back with its own (with a customer key, Athena encrypts them under it as the caller too, and
   * reads the lake as the caller: `role` may use the key through S3).
   */
  guardAthenaCaller(role: iam.IRole): void {
    this.grantKeyUse(role);
    this.athenaCallerArns.push(role.roleArn);
    exemptNamed(this.onlyNamedResultsRead, [...this.athenaCallerArns, ...this.handReaders]);
  }
}
