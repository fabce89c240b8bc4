import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The S3 event reason EventBridge carries for a lifecycle rule's deletion (not a request). */
export const LIFECYCLE_EXPIRATION_REASON = 'Lifecycle Expiration';
/** `deletion-type` of an `Object Deleted` event that hid the current version behind a marker. */
export const DELETE_MARKER_CREATED = 'Delete Marker Created';
/** `deletion-type` of an `Object Deleted` event that removed a version (or a marker) for good. */
export const PERMANENTLY_DELETED = 'Permanently Deleted';

export interface LakeDeletionEventsProps {
  lakeBucket: s3.Bucket;
  topic: sns.ITopic;
  topicKey: kms.IKey;
}

/**
 * Publishes every deletion made in the lake (a delete marker created, by a request or by a
 * lifecycle rule, or a version deleted for good by a request) to the alarm topic, one message per
 * object. The bucket policy lets only
 * `retention.deleteAllowedPrincipals` delete, but a deletion is an event worth reading whoever
 * made it: the markers hide the lake from every reader and hand its versions to the lifecycle.
 * Every delete marker counts, whatever made it: the stack's lifecycle rules never create one (they
 * hold no current-version `Expiration`, only noncurrent expiry, expired-marker cleanup, multipart
 * abort and transitions), so a marker with reason `Lifecycle Expiration` is a lifecycle rule someone
 * else added (any principal with `s3:PutLifecycleConfiguration`), hiding the lake with no delete
 * request the bucket policy could refuse. Only permanent deletions by the lifecycle are left out:
 * the stack's own noncurrent-version expiry and marker cleanup, or every rewritten hour would
 * count once a year.
 *
 * Through EventBridge, switched on with the bucket's own `NotificationConfiguration`, not CDK's
 * `eventBridgeEnabled` or `addEventNotification`, which both write it through a custom resource
 * and its Lambda function. An S3 event notification straight to SNS would need the topic policy in
 * place before the bucket (S3 tests the destination), whose policy would name the bucket: a cycle.
 */
export class LakeDeletionEvents extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: LakeDeletionEventsProps) {
    super(scope, id);
    const { lakeBucket, topic, topicKey } = props;
    (lakeBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.rule = new events.Rule(this, 'Rule', {
      description:
        'Every delete marker, and every version deleted by a request, in the Domo activity lake bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Deleted'],
        detail: {
          bucket: { name: [lakeBucket.bucketName] },
          $or: [
            { 'deletion-type': [DELETE_MARKER_CREATED] },
            {
              'deletion-type': [PERMANENTLY_DELETED],
              reason: events.Match.anythingBut(LIFECYCLE_EXPIRATION_REASON),
            },
          ],
        },
      },
    });
    const field = (path: string) => events.EventField.fromPath(`$.detail.${path}`);
    this.rule.addTarget({
      bind: () => ({
        arn: topic.topicArn,
        input: events.RuleTargetInput.fromText(
          `Lake object deleted (${field('deletion-type')}): s3://${field('bucket.name')}/${field('object.key')} version ${field('object.version-id')} at ${events.EventField.time}, requested by ${field('requester')} from ${field('source-ip-address')}. Who deleted it: the lake's access log or a CloudTrail trail of its data events. See docs/operations.md "Deleting from the lake".`,
        ),
      }),
    });

    // This rule only, not every rule of EventBridge (what CDK's SnsTopic target grants).
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeDeletionEventsPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
    // The topic is KMS-encrypted: without the key, SNS refuses every event and nothing says so.
    // Bound by the encryption context SNS sets, not aws:SourceArn, which KMS does not receive
    // from EventBridge; the account's topics, as the topic naming the key makes its ARN a cycle.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LakeDeletionEventsPublishToEncryptedTopic',
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
