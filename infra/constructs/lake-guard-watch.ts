import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

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

/** The EventBridge calls that stop or redirect the deletion rule (`LakeDeletions`). */
export const DELETION_RULE_CHANGES = [
  'DisableRule',
  'DeleteRule',
  'PutRule',
  'RemoveTargets',
  'PutTargets',
] as const;

/** The heading of the section of docs/operations.md the messages send their reader to, as it reads. */
export const LAKE_GUARD_RUNBOOK = 'LakeGuardChanged: a guard of the lake was changed';

export interface LakeGuardWatchProps {
  /** The digest signing key. */
  key: kms.IKey;
  /** The lake bucket. */
  lakeBucket: s3.IBucket;
  /** The rule that logs every deletion in the lake. */
  deletionRule: events.IRule;
  /** Where the messages go: the alarm topic, where the operator already reads the stack's alarms. */
  alarmTopic: sns.ITopic;
  /** The alarm topic's key: EventBridge must be allowed to encrypt with it, or SNS drops every message. */
  alarmTopicKey: kms.IKey;
}

/**
 * Publishes to the alarm topic, as it happens, each call that takes a guard of the lake's evidence
 * away: a change of the digest signing key ({@link DIGEST_KEY_CHANGES}), of the lake bucket's
 * configuration ({@link LAKE_BUCKET_CHANGES}) or of the deletion rule
 * ({@link DELETION_RULE_CHANGES}), with who made it, from where and when. Each of these can be
 * made by a principal the stack cannot refuse without locking the account out of its own
 * resources (or breaking its deploys: CloudFormation makes the same calls), so they are watched.
 *
 * The calls reach EventBridge as CloudTrail management events ("AWS API Call via CloudTrail"),
 * which AWS delivers only while a trail logs the account's management events in this region: with
 * none, nothing is published (docs/operations.md says so). The key is matched by its ARN in the
 * event's `resources`, which CloudTrail fills for every KMS call on a key whatever the caller named
 * it by (key id, ARN or alias); the bucket and the rule by the names in the request. No alarm of
 * its own: one message per change, not a state that recovers. A change of this rule itself is not
 * seen (disabled, it matches nothing): CloudTrail keeps that call.
 */
export class LakeGuardWatch extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: LakeGuardWatchProps) {
    super(scope, id);
    const { key, lakeBucket, deletionRule, alarmTopic, alarmTopicKey } = props;
    this.rule = new events.Rule(this, 'Rule', {
      description:
        'Changes of the Domo activity lake guards (digest signing key, lake bucket configuration, deletion rule), to the alarm topic',
      eventPattern: {
        source: ['aws.kms', 'aws.s3', 'aws.events'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          $or: [
            {
              eventSource: ['kms.amazonaws.com'],
              eventName: [...DIGEST_KEY_CHANGES],
              resources: { ARN: [key.keyArn] },
            },
            {
              eventSource: ['s3.amazonaws.com'],
              eventName: [...LAKE_BUCKET_CHANGES],
              requestParameters: { bucketName: [lakeBucket.bucketName] },
            },
            // DisableRule, DeleteRule and PutRule name the rule `name`, the target calls `rule`: two
            // branches rather than an `$or` nested in one.
            {
              eventSource: ['events.amazonaws.com'],
              eventName: [...DELETION_RULE_CHANGES],
              requestParameters: { name: [deletionRule.ruleName] },
            },
            {
              eventSource: ['events.amazonaws.com'],
              eventName: [...DELETION_RULE_CHANGES],
              requestParameters: { rule: [deletionRule.ruleName] },
            },
          ],
        },
      },
    });
    const field = (path: string) => events.EventField.fromPath(path);
    const message = events.RuleTargetInput.fromText(
      `A guard of the Domo activity lake was changed: ${field('$.detail.eventName')} ` +
        `(${field('$.detail.eventSource')}) by ${field('$.detail.userIdentity.arn')} ` +
        `(account ${field('$.detail.userIdentity.accountId')}) from ${field('$.detail.sourceIPAddress')} ` +
        `at ${field('$.detail.eventTime')} UTC, CloudTrail event id ${field('$.detail.eventID')}. ` +
        `If it was not your deploy, see docs/operations.md "${LAKE_GUARD_RUNBOOK}".`,
    );
    // The stack's own target, not CDK's SnsTopic: that one lets every EventBridge rule publish to
    // the topic and use its key, whatever account the rule is in (no condition), so anyone could
    // post a forged "alarm" to the operators. Only this rule may publish (aws:SourceArn, as the
    // EventBridge User Guide's SNS permissions show).
    this.rule.addTarget({ bind: () => ({ arn: alarmTopic.topicArn, input: message }) });
    alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeGuardChangesPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
    alarmTopicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeGuardChangesPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:sns:topicArn': Stack.of(this).formatArn({
              service: 'sns',
              resource: '*',
            }),
          },
        },
      }),
    );
  }
}
