import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The KMS calls on the digest signing key that change who can sign or whether old signatures can
 * still be checked: a key policy written (anyone it then names can sign digests that verify), a
 * grant created (a grant can allow `Sign` without any policy saying so), the key disabled (every
 * ingest run fails to sign from then on) or scheduled for deletion (after the waiting period its
 * public key can no longer be fetched from KMS). Reads, signatures and tags are left out: the
 * ingest signs every run, and a message per run would bury these.
 */
export const DIGEST_KEY_CHANGES = [
  'PutKeyPolicy',
  'CreateGrant',
  'DisableKey',
  'ScheduleKeyDeletion',
] as const;

/** The heading of the section of docs/operations.md the messages send their reader to, as it reads. */
export const DIGEST_KEY_RUNBOOK = 'DigestKeyChanged: the digest signing key was changed';

export interface DigestKeyWatchProps {
  /** The digest signing key. */
  key: kms.IKey;
  /** Where the messages go: the alarm topic, where the operator already reads the stack's alarms. */
  alarmTopic: sns.ITopic;
  /** The alarm topic's key: EventBridge must be allowed to encrypt with it, or SNS drops every message. */
  alarmTopicKey: kms.IKey;
}

/**
 * Publishes each change of the digest signing key ({@link DIGEST_KEY_CHANGES}) to the alarm
 * topic as it happens, with who made it, from where and when. The key policy trusts the account
 * (docs/guarantees.md, "Signatures"): anyone with `kms:PutKeyPolicy` or `kms:CreateGrant` on it
 * can let another principal sign digests that verify, and a deletion scheduled today makes the old
 * signatures uncheckable for anyone who did not save the public key. Neither can be refused
 * without locking the account out of its own key, so it is watched instead, with 30 days (the
 * key's waiting period) to cancel a deletion.
 *
 * The calls reach EventBridge as CloudTrail management events ("AWS API Call via CloudTrail"),
 * which AWS delivers only while a trail logs the account's management events in this region: with
 * none, nothing is published (docs/operations.md says so). Matched by the key's ARN in the event's
 * `resources`, which CloudTrail fills for every KMS call on a key whatever the caller named it by
 * (key id, ARN or alias). No alarm of its own: one message per change, not a state that recovers.
 */
export class DigestKeyWatch extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DigestKeyWatchProps) {
    super(scope, id);
    const { key, alarmTopic, alarmTopicKey } = props;
    this.rule = new events.Rule(this, 'Rule', {
      description:
        'Changes of the Domo activity lake digest signing key (policy, grants, disable, deletion), to the alarm topic',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: [...DIGEST_KEY_CHANGES],
          resources: { ARN: [key.keyArn] },
        },
      },
    });
    const field = (path: string) => events.EventField.fromPath(path);
    this.rule.addTarget(
      new targets.SnsTopic(alarmTopic, {
        message: events.RuleTargetInput.fromText(
          `The Domo activity lake's digest signing key was changed: ${field('$.detail.eventName')} ` +
            `by ${field('$.detail.userIdentity.arn')} (account ${field('$.detail.userIdentity.accountId')}) ` +
            `from ${field('$.detail.sourceIPAddress')} at ${field('$.detail.eventTime')} UTC, ` +
            `CloudTrail event id ${field('$.detail.eventID')}. If you did not mean it, see docs/operations.md ` +
            `"${DIGEST_KEY_RUNBOOK}".`,
        ),
      }),
    );
    // The topic is encrypted with its own key: without this EventBridge cannot encrypt the message
    // and SNS refuses it, with nothing but the rule's FailedInvocations to say so. Bound to this
    // account's topics by the encryption context SNS always sets (as the mail events' statement),
    // since the key policy cannot name the topic, which names the key.
    alarmTopicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DigestKeyChangesPublishToEncryptedTopic',
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
