import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LakeDeletionEvents,
  LIFECYCLE_EXPIRATION_REASON,
} from '../../infra/constructs/lake-deletion-events.ts';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { configWith, logicalIdOf, newTestApp, sharedSynth, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The lake bucket, an encrypted topic and the deletion events between them, alone in a stack. */
function deletionEventsStack() {
  const stack = new Stack(newTestApp(), 'DeletionEvents', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith().retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const topicKey = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: topicKey });
  new LakeDeletionEvents(stack, 'LakeDeletions', { lakeBucket: storage.lakeBucket, topic, topicKey });
  const template = Template.fromStack(stack);
  return {
    template,
    lake: logicalIdOf(template, 'AWS::S3::Bucket', '/Storage/Lake/'),
    topic: logicalIdOf(template, 'AWS::SNS::Topic', '/Topic/'),
    rule: logicalIdOf(template, 'AWS::Events::Rule', '/LakeDeletions/'),
  };
}

describe('deletions in the lake reach the alarm topic (review-stack F1)', () => {
  const { template, lake, topic, rule } = deletionEventsStack();

  it('sends the lake bucket’s events to EventBridge with no custom resource or function', () => {
    expect(template.toJSON().Resources[lake].Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('matches every requested delete of the lake, marker or version, and no lifecycle expiry', () => {
    const properties = template.toJSON().Resources[rule].Properties;
    expect(properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Deleted'],
      detail: {
        bucket: { name: [{ Ref: lake }] },
        'deletion-type': ['Delete Marker Created', 'Permanently Deleted'],
        reason: [{ 'anything-but': [LIFECYCLE_EXPIRATION_REASON] }],
      },
    });
    expect(properties.Targets).toHaveLength(1);
    expect(properties.Targets[0].Arn).toEqual({ Ref: topic });
    expect(properties.Targets[0].InputTransformer.InputPathsMap).toMatchObject({
      'detail-object-key': '$.detail.object.key',
      'detail-deletion-type': '$.detail.deletion-type',
      'detail-requester': '$.detail.requester',
    });
  });

  it('lets EventBridge publish for this rule only, and use the topic’s key', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } },
          }),
        ]),
      },
    });
    // Without the key grant SNS refuses every event from an encrypted topic, silently.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('targets the stack’s alarm topic in the app', () => {
    const { template: app } = sharedSynth();
    const alarmTopic = logicalIdOf(app, 'AWS::SNS::Topic', '/Monitoring/Alarms/');
    const appRule = logicalIdOf(app, 'AWS::Events::Rule', '/LakeDeletions/');
    expect(app.toJSON().Resources[appRule].Properties.Targets[0].Arn).toEqual({ Ref: alarmTopic });
  });
});
