import { DefaultStackSynthesizer, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { encryptedTopicKeyStatement } from './encrypted-topic-key-statement.ts';

/**
 * The KMS calls on the digest signing key that change who can sign or whether old signatures can
 * still be checked: a key policy written (anyone it then names, in any account, can sign digests
 * that verify), a grant created (a grant can allow `Sign` without any policy saying so), the key
 * disabled (every ingest run fails to sign from then on) or scheduled for deletion (after the
 * waiting period its public key can no longer be fetched from KMS). Reads, signatures and tags are
 * left out: the ingest signs every run, and a message per run would bury these.
 */
export const DIGEST_KEY_CHANGES = [
  'PutKeyPolicy',
  'CreateGrant',
  'DisableKey',
  'ScheduleKeyDeletion',
] as const;

/**
 * The KMS calls on the lake's customer key (`lakeEncryption.kmsKeyArn`) that make the lake
 * unreadable: the key disabled or scheduled for deletion, its imported key material deleted (a key
 * of `EXTERNAL` origin is then unusable until the material is imported again), or its policy
 * written (a policy that no longer lets IAM grant its use refuses every role of the stack). The key
 * is the company's: the stack cannot refuse these calls, only tell of them. Grants are left out: a
 * grant of the key alone reads nothing past the bucket policy's read guard, and a key shared with
 * other systems is granted by them often.
 */
export const LAKE_KEY_CHANGES = [
  'PutKeyPolicy',
  'DisableKey',
  'ScheduleKeyDeletion',
  'DeleteImportedKeyMaterial',
] as const;

/**
 * The lake bucket's configuration calls, by their CloudTrail event names (lifecycle and
 * notification calls are logged under their older names), that take a guard of the lake away
 * without deleting anything the deletion rule would see: its policy (the delete guard and the
 * writers' Denys), its lifecycle (a short noncurrent expiry purges replaced versions once their
 * lock ends), its notifications (EventBridge delivery off silences the deletion log), its access
 * log (who deleted what), its versioning and its Object Lock.
 */
export const LAKE_BUCKET_CHANGES = [
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketLifecycle',
  'DeleteBucketLifecycle',
  'PutBucketNotification',
  'PutBucketLogging',
  'PutBucketVersioning',
  'PutObjectLockConfiguration',
] as const;

/**
 * The lake bucket's replication calls (`s3:PutReplicationConfiguration` authorizes both): a
 * replication copies every object written from then on, and S3 Batch Replication the older ones,
 * to a bucket of another account (review R-SECOND9 M1). In the second rule: the first one's
 * pattern is at EventBridge's size limit.
 */
export const LAKE_REPLICATION_CHANGES = ['PutBucketReplication', 'DeleteBucketReplication'] as const;

/**
 * The lake bucket's default encryption set or removed: every writer of the project sends no
 * encryption header, so a default switched to SSE-KMS under another key encrypts each new hour,
 * manifest and digest under that key, and a deletion of that key then destroys them (their
 * versions stay, unreadable, and the Object Lock cannot prevent it); with `lakeEncryption`,
 * removing the default puts the new objects out of the company's key. In the second rule, beside
 * the replication calls (by the same bucket name).
 */
export const LAKE_ENCRYPTION_CHANGES = ['PutBucketEncryption', 'DeleteBucketEncryption'] as const;

/**
 * The Glue calls that change or remove the lake's tables, by the database's name the request
 * carries: a table rewritten (partition projection off, another location, other columns: Athena,
 * the report and the alerts then read nothing, or another bucket) or deleted, and partitions
 * deleted. In the catalog rule. The lake's objects are untouched, so `verify` finds nothing. The
 * name is matched in any case (`equals-ignore-case`): Glue folds it to lower case.
 */
export const LAKE_TABLE_CHANGES = [
  'UpdateTable',
  'DeleteTable',
  'BatchDeleteTable',
  'DeletePartition',
  'BatchDeletePartition',
] as const;

/**
 * The Glue calls on the lake's database itself, which name it `name`: deleted (every table of the
 * lake goes with it, as {@link LAKE_TABLE_CHANGES} one by one would) or rewritten (its location,
 * parameters, default permissions, or its target: a database made a link to another catalog's
 * reads that catalog's tables). In the catalog rule, with the table calls.
 */
export const LAKE_DATABASE_CHANGES = ['UpdateDatabase', 'DeleteDatabase'] as const;

/**
 * The CloudWatch Logs call that erases recorded deletions from the deletions log, one stream at a
 * time. In the first rule, with {@link DELETION_LOG_CHANGES} (the same log group's name), which
 * left the second rule room for {@link LAKE_ENCRYPTION_CHANGES}.
 */
export const DELETION_STREAM_CHANGES = ['DeleteLogStream'] as const;

/** The EventBridge calls that stop or rewrite the deletion rule (`LakeDeletions`), by its `name`. */
export const DELETION_RULE_CHANGES = ['DisableRule', 'DeleteRule', 'PutRule'] as const;

/** The EventBridge calls that change the deletion rule's targets, which name it `rule`. */
export const DELETION_TARGET_CHANGES = ['RemoveTargets', 'PutTargets'] as const;

/**
 * The CloudTrail calls that blind this watch (it sees only what a trail logs), on any trail of the
 * account: logging stopped, the trail deleted or changed, its event selectors rewritten.
 */
export const TRAIL_CHANGES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] as const;

/**
 * The SNS calls that silence the alarm topic: its policy or attributes changed, a permission
 * removed, the topic deleted, a subscription cancelled (one click on an alarm mail's link).
 */
export const ALARM_TOPIC_CHANGES = ['SetTopicAttributes', 'RemovePermission', 'DeleteTopic'] as const;

/**
 * The SNS calls on one subscription of the alarm topic that silence it: cancelled through the API,
 * or given a filter policy no alarm matches. (The "unsubscribe" link of a mail is not in CloudTrail.)
 */
export const ALARM_SUBSCRIPTION_CHANGES = ['Unsubscribe', 'SetSubscriptionAttributes'] as const;

/** The CloudWatch Logs calls that destroy the deletions' records: the log group deleted, or kept less. */
export const DELETION_LOG_CHANGES = ['DeleteLogGroup', 'PutRetentionPolicy'] as const;

/**
 * The Lambda calls that change what a function of the stack runs or who may run it, as prefixes of
 * CloudTrail's event names, which carry the API's version (`UpdateFunctionCode20150331v2`,
 * `DeleteFunctionConcurrency20171031`): its code or configuration (a layer, a handler, its
 * environment, its on-success and on-failure destinations, its runtime's updates held back by
 * `PutRuntimeManagementConfig`), its reserved concurrency (0 stops every run), its deletion, its
 * resource policy (a permission added, or removed: `RemovePermission` takes the report's leave to
 * invoke itself per instance, and with it every instance's weekly run), a URL that lets another principal invoke it, an alias moved to another version,
 * or a new source of its runs (`CreateEventSourceMapping`, which names the function too). Every
 * Lambda call whose name starts with one of these verbs writes (the reads are `Get…`, `List…` and
 * `Invoke`), and the verbs alone keep the pattern short. Code run as the ingest role puts hours
 * and signs digests with the stack's key, so the chain still verifies: this is the only record of
 * it outside CloudTrail. Tags (`TagResource`, `UntagResource`) are left out: no policy of the
 * stack reads a function's tags (test/infra/lake-guard-watch.test.ts checks it), so a tag changes
 * only what a company's own ABAC policy allows, and each harmful thing it could then allow is a
 * call above (code, configuration, permissions) or stops runs, which the ingest's, the report's
 * and the alerts' own alarms tell of; they name the function `resource`, which would take a second
 * copy of every name and halve {@link FUNCTIONS_PER_RULE}.
 */
export const FUNCTION_CHANGES = [
  'Update',
  'Put',
  'Delete',
  'Create',
  'AddPermission',
  'RemovePermission',
] as const;

/**
 * The stack's functions named in one rule: each name takes up to 64 characters and its matcher
 * about 80 of a pattern's 2,048, beside the deploy role's ARN that the rule leaves out (up to about
 * 100; test/infra/lake-guard-watch.test.ts measures the longest).
 */
export const FUNCTIONS_PER_RULE = 18;

/** How every message of the watch begins, before the call's name (docs/configuration.md quotes it). */
export const LAKE_GUARD_MESSAGE_OPENING = 'A guard of the Domo activity lake was changed, or someone tried:';

/** The heading of the section of docs/operations.md the messages send their reader to, as it reads. */
export const LAKE_GUARD_RUNBOOK = 'LakeGuardChanged: a guard of the lake was changed';

interface LakeGuardWatchProps {
  /** The digest signing key. */
  key: kms.IKey;
  /** The lake bucket. */
  lakeBucket: s3.IBucket;
  /** The rule that logs every deletion in the lake, and the log group it writes to. */
  deletionRule: events.IRule;
  deletionLog: logs.ILogGroup;
  /** Where the messages go: the alarm topic, where the operator already reads the stack's alarms. */
  alarmTopic: sns.ITopic;
  /** The alarm topic's key: EventBridge must be allowed to encrypt with it, or SNS drops every message. */
  alarmTopicKey: kms.IKey;
  /** Where a message EventBridge could not publish lands, so that `FailedInvocations` alarms on it. */
  failureQueue: sqs.IQueue;
  /** The rules that log the stack's own expiry (`retention.maxDays`): their changes, in the second rule. */
  expiryRules?: readonly events.IRule[];
  /** The security alerts' topic, when alerts are on: its policy and subscriptions, in the second rule. */
  alertsTopic?: sns.ITopic;
  /** The lake's Glue database: its own and its tables' changes, in the catalog rule. */
  databaseName?: string;
  /**
   * The lake's customer keys, when it has any (`lakeEncryption`: the current one and the retired
   * ones, under which older objects stay): their changes, in a rule of their own.
   */
  lakeKeyArns?: readonly string[];
  /** The stack's functions (ingest, alerts, report): their code and configuration, in rules of their own. */
  functions?: readonly lambda.IFunction[];
}

/**
 * Publishes to the alarm topic, within minutes (CloudTrail delivers these events best effort), each
 * call that takes a guard of the lake's evidence away, or tries to: a change of the digest signing
 * key or the alarm topic's key ({@link DIGEST_KEY_CHANGES}), of the lake bucket's configuration
 * ({@link LAKE_BUCKET_CHANGES}, {@link LAKE_ENCRYPTION_CHANGES}), of the deletion rule, its
 * targets or its log group, of the alarm topic, or of the account's trails, of the stack's
 * functions' code and configuration (not by this stack's deploy: {@link FUNCTION_CHANGES}) or of the lake's
 * database and tables ({@link LAKE_DATABASE_CHANGES}, {@link LAKE_TABLE_CHANGES}), and of the lake's customer key when it has one
 * ({@link LAKE_KEY_CHANGES}), with who made it, from where, when and whether it failed.
 * Each of these can be made by a principal the stack cannot refuse without locking the account out
 * of its own resources (or breaking its deploys: CloudFormation makes the same calls), so they are
 * watched.
 *
 * The calls reach EventBridge as CloudTrail management events ("AWS API Call via CloudTrail"),
 * which AWS delivers only while a trail logs the account's management events in this region: with
 * none, nothing is published (docs/operations.md says so). A key is matched by its ARN in the
 * event's `resources`, which CloudTrail fills for every KMS call on a key whatever the caller named
 * it by (key id, ARN or alias); the rest by the names in the request. No alarm of its own: one
 * message per call, not a state that recovers; a message that cannot be published (the topic or its
 * key taken away) lands in the failure queue, kept 14 days (its alarm goes to the same topic, so it
 * tells no one either until the topic is restored; the queue is then where to read). A change of
 * this rule itself is not seen (disabled, it matches nothing): CloudTrail keeps that call. Nor is a
 * call on a trail made in another region (a multi-region trail lives in its home region) or another
 * account (an organization's trail).
 */
export class LakeGuardWatch extends Construct {
  readonly rule: events.Rule;
  /**
   * The guards that did not fit in {@link rule}'s pattern (EventBridge's 2,048 characters): the
   * lake's replication and encryption, the expiry rules, the alerts topic.
   */
  readonly moreRule: events.Rule;
  /**
   * The lake's Glue database and its tables changed ({@link LAKE_DATABASE_CHANGES},
   * {@link LAKE_TABLE_CHANGES}); none without a database. A rule of its own: the database's name
   * (up to 255 characters, twice) fits in neither of the first two patterns.
   */
  readonly catalogRule?: events.Rule;
  /** The stack's functions changed, {@link FUNCTIONS_PER_RULE} to a rule (none without functions). */
  readonly functionRules: events.Rule[];
  /**
   * The lake's customer key changed ({@link LAKE_KEY_CHANGES}); none without one. A rule of its
   * own: the other two patterns have no room left for a key's ARN at the longest names.
   */
  readonly lakeKeyRule?: events.Rule;

  constructor(scope: Construct, id: string, props: LakeGuardWatchProps) {
    super(scope, id);
    const { key, lakeBucket, deletionRule, deletionLog, alarmTopic, alarmTopicKey, failureQueue } = props;
    const expiryRuleNames = (props.expiryRules ?? []).map((rule) => rule.ruleName);
    // No eventSource in the branches: the top-level source already names the service, each branch's
    // call names and request fields are that service's own, and the pattern must stay within
    // EventBridge's 2,048 characters with the longest names a stack can have.
    const call = (eventName: readonly string[], match: Record<string, unknown>) => ({
      eventName: [...eventName],
      ...match,
    });
    // EventBridge (and synth's CloudFormation validation) refuses an `$or` of one branch: without
    // the expiry rules and the alerts topic, the branch stands alone.
    const oneOf = (branches: Record<string, unknown>[]) =>
      branches.length === 1 ? branches[0] : { $or: branches };
    this.rule = new events.Rule(this, 'Rule', {
      description:
        'Changes of the Domo activity lake guards (signing and alarm keys, lake bucket, deletion rule and log, alarm topic, trails), to the alarm topic',
      eventPattern: {
        source: ['aws.kms', 'aws.s3', 'aws.events', 'aws.cloudtrail', 'aws.sns', 'aws.logs'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          $or: [
            call(DIGEST_KEY_CHANGES, { resources: { ARN: [key.keyArn, alarmTopicKey.keyArn] } }),
            call(LAKE_BUCKET_CHANGES, { requestParameters: { bucketName: [lakeBucket.bucketName] } }),
            call(DELETION_RULE_CHANGES, { requestParameters: { name: [deletionRule.ruleName] } }),
            call(DELETION_TARGET_CHANGES, { requestParameters: { rule: [deletionRule.ruleName] } }),
            call([...DELETION_LOG_CHANGES, ...DELETION_STREAM_CHANGES], {
              requestParameters: { logGroupName: [deletionLog.logGroupName] },
            }),
            call(ALARM_TOPIC_CHANGES, { requestParameters: { topicArn: [alarmTopic.topicArn] } }),
            // A subscription's ARN is its topic's, then ':' and an id.
            call(ALARM_SUBSCRIPTION_CHANGES, {
              requestParameters: { subscriptionArn: [{ prefix: `${alarmTopic.topicArn}:` }] },
            }),
            call(TRAIL_CHANGES, {}),
          ],
        },
      },
    });
    this.moreRule = new events.Rule(this, 'MoreRule', {
      description:
        'Changes of the Domo activity lake guards (lake replication and encryption, expiry rules, alerts topic), to the alarm topic',
      eventPattern: {
        source: ['aws.s3', 'aws.events', 'aws.sns'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: oneOf([
          call([...LAKE_REPLICATION_CHANGES, ...LAKE_ENCRYPTION_CHANGES], {
            requestParameters: { bucketName: [lakeBucket.bucketName] },
          }),
          ...(expiryRuleNames.length === 0
            ? []
            : [
                call(DELETION_RULE_CHANGES, { requestParameters: { name: expiryRuleNames } }),
                call(DELETION_TARGET_CHANGES, { requestParameters: { rule: expiryRuleNames } }),
              ]),
          ...(props.alertsTopic
            ? [
                call(ALARM_TOPIC_CHANGES, {
                  requestParameters: { topicArn: [props.alertsTopic.topicArn] },
                }),
                call(ALARM_SUBSCRIPTION_CHANGES, {
                  requestParameters: { subscriptionArn: [{ prefix: `${props.alertsTopic.topicArn}:` }] },
                }),
              ]
            : []),
        ]),
      },
    });
    if (props.databaseName) {
      // Glue folds a database's name to lower case and finds it in any case: a call may name it as
      // `DOMO_Activity` and still change the lake's tables.
      const database = [{ 'equals-ignore-case': props.databaseName }];
      this.catalogRule = new events.Rule(this, 'CatalogRule', {
        description: "Changes of the Domo activity lake's Glue database and tables, to the alarm topic",
        eventPattern: {
          source: ['aws.glue'],
          detailType: ['AWS API Call via CloudTrail'],
          detail: {
            $or: [
              call(LAKE_TABLE_CHANGES, { requestParameters: { databaseName: database } }),
              call(LAKE_DATABASE_CHANGES, { requestParameters: { name: database } }),
            ],
          },
        },
      });
    }
    this.functionRules = this.watchFunctions(props.functions ?? []);
    if ((props.lakeKeyArns ?? []).length > 0) {
      this.lakeKeyRule = new events.Rule(this, 'LakeKeyRule', {
        description:
          "Changes of the Domo activity lake's customer key (disabled, deleted, policy), to the alarm topic",
        eventPattern: {
          source: ['aws.kms'],
          detailType: ['AWS API Call via CloudTrail'],
          detail: { eventName: [...LAKE_KEY_CHANGES], resources: { ARN: [...(props.lakeKeyArns ?? [])] } },
        },
      });
    }
    const field = (path: string) => events.EventField.fromPath(path);
    // No double quotes in the text: the template is a JSON string, and they would reach the mail
    // escaped. A path the event lacks (an AWS service has no ARN, a call that succeeded no error
    // code) is left out of the text by EventBridge.
    const message = events.RuleTargetInput.fromText(
      `${LAKE_GUARD_MESSAGE_OPENING} ${field('$.detail.eventName')} ` +
        `(${field('$.detail.eventSource')}) by ${field('$.detail.userIdentity.type')} ` +
        `${field('$.detail.userIdentity.arn')} ${field('$.detail.userIdentity.invokedBy')} ` +
        `(account ${field('$.detail.userIdentity.accountId')}) from ${field('$.detail.sourceIPAddress')} ` +
        `at ${field('$.detail.eventTime')} UTC. Refused with (empty when the call succeeded): ` +
        `${field('$.detail.errorCode')} ${field('$.detail.errorMessage')}. CloudTrail event id ` +
        `${field('$.detail.eventID')}. Unless it was your deploy, read docs/operations.md, section ${LAKE_GUARD_RUNBOOK}.`,
    );
    // The stack's own target rather than CDK's SnsTopic, which would also grant the topic key to
    // EventBridge with no condition. The topic statement carries none: the EventBridge User Guide
    // ("Amazon SNS permissions") says SNS topic policies for EventBridge cannot use conditions.
    // Another account's rule cannot use it either: cross-account delivery needs a role this policy
    // does not name.
    const rules = [
      this.rule,
      this.moreRule,
      ...(this.catalogRule ? [this.catalogRule] : []),
      ...this.functionRules,
      ...(this.lakeKeyRule ? [this.lakeKeyRule] : []),
    ];
    for (const rule of rules) {
      rule.addTarget({
        bind: () => ({
          arn: alarmTopic.topicArn,
          input: message,
          deadLetterConfig: { arn: failureQueue.queueArn },
        }),
      });
    }
    alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeGuardChangesPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
      }),
    );
    failureQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeGuardChangesUndelivered',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [failureQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rules.map((rule) => rule.ruleArn) } },
      }),
    );
    // The topic is encrypted with its own key: without this EventBridge cannot encrypt the message.
    alarmTopicKey.addToResourcePolicy(
      encryptedTopicKeyStatement(this, 'LakeGuardChangesPublishToEncryptedTopic', 'events.amazonaws.com'),
    );
  }

  /**
   * One rule per {@link FUNCTIONS_PER_RULE} functions, each naming its functions by the names
   * CloudFormation gave them: a prefix of the stack's name is not reliable, CloudFormation shortens
   * it in a generated name that would pass 64 characters. A call names its function as its caller
   * did (the name, the ARN or a partial ARN, all ending in the name: a `suffix`). Left out: the
   * calls CloudFormation makes (from `cloudformation.amazonaws.com`) as the role the stack's
   * synthesizer deploys it with (the CDK bootstrap's `cfn-exec-role`), as every deploy updates the
   * code of each function whose bundle changed. Any other stack's CloudFormation, with another
   * role or with its deployer's own credentials, is kept; with a synthesizer that names no such
   * role, nothing is left out and each deploy's function changes are reported too.
   */
  private watchFunctions(functions: readonly lambda.IFunction[]): events.Rule[] {
    const rules: events.Rule[] = [];
    const synthesizer = Stack.of(this).synthesizer;
    const deployRole =
      synthesizer instanceof DefaultStackSynthesizer
        ? Fn.sub(synthesizer.cloudFormationExecutionRoleArn)
        : undefined;
    // Reported unless both hold: a call from CloudFormation, and made as the deploy role. A call
    // made with no role session (a user's, or CloudFormation forwarding one) has no issuer, which
    // `anything-but` does not match.
    const notTheDeploy = deployRole && {
      $or: [
        { sourceIPAddress: [{ 'anything-but': 'cloudformation.amazonaws.com' }] },
        { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': deployRole }] } } } },
        { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } },
      ],
    };
    for (let first = 0; first < functions.length; first += FUNCTIONS_PER_RULE) {
      const names = functions.slice(first, first + FUNCTIONS_PER_RULE).map((fn) => fn.functionName);
      rules.push(
        new events.Rule(this, `FunctionsRule${rules.length}`, {
          description:
            'Changes of the Domo activity lake functions (code, configuration, permissions), to the alarm topic',
          eventPattern: {
            source: ['aws.lambda'],
            detailType: ['AWS API Call via CloudTrail'],
            detail: {
              eventName: FUNCTION_CHANGES.map((prefix) => ({ prefix })),
              requestParameters: { functionName: names.map((name) => ({ suffix: name })) },
              ...notTheDeploy,
            },
          },
        }),
      );
    }
    return rules;
  }
}
