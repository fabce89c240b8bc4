import path from 'node:path';
import {
  Arn,
  ArnFormat,
  Duration,
  type RemovalPolicy,
  SecretValue,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ensureGeoDatabaseFile } from '../../functions/adapters/geo-database-build.ts';
import { PLACEHOLDER_SECRET } from '../../functions/core/domo/domo-secret.ts';
import { EVERY_BINDING_KEY, STATE_FOLDER } from '../../functions/core/lake/customer-bound-elsewhere.ts';
import { ingestEnvironment } from '../../functions/ingest/config.ts';
import { ConfigError } from '../config/config-error.ts';
import type { ActivityLakeConfig, InstanceConfig } from '../config.ts';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';
import type { DigestSigningKey } from './digest-signing-key.ts';
import { failureQueueDestination } from './failure-queue-destination.ts';
import { InlinePolicyRole } from './inline-policy-role.ts';
import { LakeFunction } from './lake-function.ts';
import { instanceLakePrefixes } from './lake-storage.ts';
import { ScheduledInvoke } from './scheduled-invoke.ts';
import { schedulerPrincipal } from './scheduler-principal.ts';

/** The geo database file, once it has been found or built and checked in this process. */
let geoDatabaseFile: string | undefined;

/**
 * The geo database travels as a file beside the code (not inside it), read once per container.
 * Checked once per process, not per instance: opening it and hashing its ~16 MB against the
 * checksum in its header is ~20 ms, and a stack of 20 instances asked 20 times for the same file.
 * The file shipped is the one checked here; the function does not hash it again at cold start.
 */
export const ingestBundledFiles = (): string[] => {
  geoDatabaseFile ??= ensureGeoDatabaseFile();
  return [geoDatabaseFile];
};

export const INGEST_ENTRY = path.join(import.meta.dirname, '../../functions/ingest/handler.ts');

/**
 * Retry policy, chosen once here. Every run is idempotent (re-pulled windows merge by event id),
 * and the next scheduled run catches up anyway, so retries are few and stale events are dropped
 * to the failure queue (where an alarm sees them) instead of piling up.
 */
export const INGEST_RETRIES = {
  /** Scheduler re-sending an invocation Lambda did not accept. */
  schedulerAttempts: 3,
  schedulerMaxEventAge: Duration.hours(1),
  /** Lambda re-running a failed (thrown) run. */
  asyncAttempts: 1,
  /** A run queued behind the running one (reserved concurrency 1) waits at most this long. */
  asyncMaxEventAge: Duration.hours(1),
} as const;

interface InstanceIngestProps {
  instance: InstanceConfig;
  ingest: ActivityLakeConfig['ingest'];
  /** First day the Athena tables project (`lakeStartDate`): re-pulls before it are refused. */
  lakeStartDate: string;
  /** `retention.maxDays`: re-pulls of hours older are refused (null or left out: none). */
  maxDays?: number | null | undefined;
  /** Prefix of created secret names: `<stackName>/domo/<instance>`. */
  stackName: string;
  lakeBucket: s3.IBucket;
  /** Signs the digests of the integrity chain; the function may only ask it to sign. */
  digestSigning: DigestSigningKey;
  /** Receives schedules Scheduler could not deliver and runs that failed after their retries. */
  failureQueue: sqs.IQueue;
  /** The stack's own schedule group, which the ScheduledInvocationsLost alarm watches. */
  scheduleGroup: scheduler.IScheduleGroup;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  /** Started after each successful run (the security alerts of this instance), when deployed. */
  onSuccess?: lambda.IDestination;
}

/**
 * Refuses a secret ARN of another region than the stack's (when the stack names its region): the
 * function asks Secrets Manager of its own region, which does not hold it, and the grant to decrypt
 * through Secrets Manager names the stack's region, so every run would fail with a generic error.
 * The ARN is not quoted: a name of 64 hex digits in it may be the client secret pasted there.
 *
 * @throws ConfigError naming both regions (and both accounts when they differ too).
 */
function refuseSecretOfAnotherRegion(scope: Construct, instance: string, secretArn: string): void {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) return;
  const secret = Arn.split(secretArn, ArnFormat.COLON_RESOURCE_NAME);
  if (secret.region === undefined || secret.region === stack.region) return;
  const accounts =
    secret.account !== undefined && !Token.isUnresolved(stack.account) && secret.account !== stack.account
      ? ` of account ${secret.account}, and the stack to account ${stack.account}`
      : '';
  throw new ConfigError([
    `instances: the secret of "${instance}" is in ${secret.region}${accounts}, but the stack deploys to ${stack.region}: its function reads the secret from Secrets Manager in ${stack.region}, which does not hold it, so every run would fail. Deploy the stack to ${secret.region} (run cdk with AWS_REGION=${secret.region}), or replicate the secret to ${stack.region} (aws secretsmanager replicate-secret-to-regions) and name the replica's ARN in "secret" (and its key in "secretKmsKeyArn", if a customer managed key encrypts it)`,
  ]);
}

/**
 * Everything that ingests one Domo instance, isolated from the others: its secret (created with a
 * placeholder, or imported), its own function (never two runs at once) whose role reaches only
 * this instance's lake prefixes and secret (and decrypts with the secret's KMS key when one is
 * named), and its own schedule with retries and a dead-letter queue.
 */
export class InstanceIngest extends Construct {
  readonly instanceName: string;
  readonly lakeFunction: LakeFunction;
  readonly secret: secretsmanager.ISecret;
  /** What to pass to `aws secretsmanager put-secret-value --secret-id`. */
  readonly secretId: string;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: InstanceIngestProps) {
    super(scope, id);
    const { instance, ingest } = props;
    this.instanceName = instance.name;

    if (instance.secret === undefined) {
      const secret = new secretsmanager.Secret(this, 'DomoSecret', {
        secretName: `${props.stackName}/domo/${instance.name}`,
        description: `Domo API client for instance "${instance.name}": JSON {"clientId","clientSecret"}. Created with a placeholder; put the real values with aws secretsmanager put-secret-value.`,
        // Not a secret: the placeholder the handler recognises. CloudFormation only writes it on
        // creation, so later deploys never overwrite the real values put by the operator.
        secretStringValue: SecretValue.unsafePlainText(JSON.stringify(PLACEHOLDER_SECRET)),
        removalPolicy: props.removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Holds a third-party (Domo) OAuth client; Secrets Manager cannot rotate it. Rotate it in Domo and put the new value (docs/operations.md "Rotating the secret"); the function reads the secret at every invocation.',
      });
      this.secret = secret;
      this.secretId = secret.secretArn;
    } else if (instance.secret.startsWith('arn:')) {
      refuseSecretOfAnotherRegion(this, instance.name, instance.secret);
      this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'DomoSecret', instance.secret);
      this.secretId = instance.secret;
    } else {
      this.secret = secretsmanager.Secret.fromSecretNameV2(this, 'DomoSecret', instance.secret);
      this.secretId = instance.secret;
    }

    this.lakeFunction = new LakeFunction(this, 'Ingest', {
      entry: INGEST_ENTRY,
      description: `Copies the Domo Activity Log of instance "${instance.name}" into the lake`,
      environment: ingestEnvironment({
        stack: Stack.of(this).stackName,
        instance: instance.name,
        bucket: props.lakeBucket.bucketName,
        prefix: '',
        secretId: this.secretId,
        apiBase: instance.apiBase,
        settleMinutes: ingest.settleMinutes,
        lookbackHours: ingest.lookbackHours,
        repullAfterHours: ingest.repullAfterHours,
        backfillDays: ingest.backfillDays,
        concurrency: ingest.concurrency,
        docTimeZone: instance.docTimeZone ?? ingest.docTimeZone,
        budgetMarginMs: ingest.budgetMarginSeconds * 1000,
        digestKeyId: props.digestSigning.key.keyArn,
        lakeStartDate: props.lakeStartDate,
        // The user's rules as written; the function adds the built-in ones as the command does.
        categoryRules: JSON.stringify(ingest.categoryRules ?? []),
        maxDays: props.maxDays ?? null,
        domoCustomer: instance.domoCustomer,
      }),
      timeout: Duration.minutes(ingest.timeoutMinutes),
      memorySize: ingest.memoryMb,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      reservedConcurrentExecutions: 1,
      retryAttempts: INGEST_RETRIES.asyncAttempts,
      maxEventAge: INGEST_RETRIES.asyncMaxEventAge,
      onFailure: failureQueueDestination(props.failureQueue),
      bundledFiles: ingestBundledFiles(),
      inlinePolicy: true,
      ...(props.onSuccess ? { onSuccess: props.onSuccess } : {}),
    });
    const role = this.lakeFunction.role;

    this.grantSecretRead(role, instance.secret);
    props.digestSigning.allowSign(role);
    if (instance.secretKmsKeyArn !== undefined) {
      // grantRead cannot do this: an imported secret carries no key, and CDK adds no grant for an
      // imported key either. Without it GetSecretValue is denied when a customer managed key encrypts the secret.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [instance.secretKmsKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }

    const prefixes = instanceLakePrefixes(instance.name);
    const objectArns = prefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: objectArns,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.lakeBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      objectArns,
      `Object keys under this instance's own lake prefixes (${prefixes.join(', ')}) are named by hour and run; the role can read and write nothing else in the bucket and cannot delete.`,
    );
    // A first run refuses a Domo customer another instance is bound to (customer-bound-elsewhere.ts):
    // it lists the instances' state and reads their bindings, the customer's name and nothing else.
    const bindingArn = props.lakeBucket.arnForObjects(EVERY_BINDING_KEY);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bindingArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.lakeBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [STATE_FOLDER] } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      [bindingArn],
      "Every instance's Domo customer binding (state/instance=*/domo-customer.json), read only: a first run refuses the customer another instance of the lake is bound to.",
    );

    const schedulerRole = new InlinePolicyRole(this, 'SchedulerRole', {
      description: `Lets EventBridge Scheduler start the ingest of "${instance.name}"`,
      assumedBy: schedulerPrincipal(props.scheduleGroup),
    });
    // Not 'Schedule', the id of the schedules that lived in the default group: CloudFormation
    // updates GroupName in place, which looks the schedule up in its new group and fails
    // (aws/aws-cdk#34216); a new id replaces it (created in the group, the old one deleted).
    this.schedule = new scheduler.Schedule(this, 'GroupSchedule', {
      description: `Ingest of Domo instance "${instance.name}"`,
      scheduleGroup: props.scheduleGroup,
      schedule: scheduler.ScheduleExpression.expression(ingest.schedule),
      target: new ScheduledInvoke(this.lakeFunction.fn, {
        role: schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'schedule', instance: instance.name }),
        retryAttempts: INGEST_RETRIES.schedulerAttempts,
        maxEventAge: INGEST_RETRIES.schedulerMaxEventAge,
        deadLetterQueue: props.failureQueue,
      }),
    });
    // A named group reaches the schedule as its literal name, with no reference CloudFormation
    // could order by: without this the schedule may be created before its group, and fail.
    this.schedule.node.addDependency(props.scheduleGroup);
  }

  /**
   * Lets `role` read the instance's secret: `GetSecretValue` only, the one call the handler makes
   * (functions/adapters/secrets-manager-source.ts); CDK's grantRead adds `DescribeSecret`, which
   * would show a compromised function the secret's rotation, tags and replicas for nothing. An ARN
   * is granted as given and followed by "-??????": a partial ARN whose name ends in "-" and 6
   * letters or digits (`…:secret:prod/domo-client`) reads as a full one, so synth cannot refuse
   * it, and Secrets Manager takes it as the secret "prod/domo-client", whose ARN carries its own 6
   * characters after that. Granted the ARN alone, the function would be denied its secret at every
   * run. The wildcard matches 6 characters only; a name is granted as one (its ARN is partial).
   */
  private grantSecretRead(role: iam.IRole, reference: string | undefined): void {
    const resources =
      reference === undefined
        ? [this.secret.secretArn]
        : reference.startsWith('arn:')
          ? [reference, `${reference}-??????`]
          : [`${this.secret.secretArn}-??????`];
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources }),
    );
  }
}
