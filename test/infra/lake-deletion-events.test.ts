import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DELETE_MARKER_CREATED,
  LakeDeletionEvents,
  LIFECYCLE_EXPIRATION_REASON,
  PERMANENTLY_DELETED,
} from '../../infra/constructs/lake-deletion-events.ts';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { configWith, logicalIdOf, newTestApp, sharedSynth, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

type Pattern = { [field: string]: unknown };

/**
 * Whether `value` satisfies one field's list of EventBridge matchers: the subset the rule uses,
 * exact values and `anything-but` (AWS: "Content filtering in Amazon EventBridge event patterns").
 */
function fieldMatches(matchers: unknown[], value: unknown): boolean {
  return matchers.some((matcher) => {
    if (typeof matcher !== 'object' || matcher === null) return matcher === value;
    const excluded = (matcher as { 'anything-but'?: unknown })['anything-but'];
    if (excluded === undefined) throw new Error(`matcher not modelled: ${JSON.stringify(matcher)}`);
    return value !== undefined && !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  });
}

/** Whether `event` matches `pattern`: every field ANDed, `$or` any of its branches. */
function matches(pattern: Pattern, event: Pattern): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') return (expected as Pattern[]).some((branch) => matches(branch, event));
    if (Array.isArray(expected)) return fieldMatches(expected, event[field]);
    const nested = event[field];
    return typeof nested === 'object' && nested !== null && matches(expected as Pattern, nested as Pattern);
  });
}

/** An S3 `Object Deleted` event as AWS documents it (S3 User Guide, EventBridge event message structure). */
const deletedEvent = (bucket: string, deletionType: string, reason: string): Pattern => ({
  source: 'aws.s3',
  'detail-type': 'Object Deleted',
  detail: {
    bucket: { name: bucket },
    object: { key: 'activity_log/instance=main/dt=2026-12-01/2026-12-01T10.ndjson.gz', 'version-id': 'v1' },
    'deletion-type': deletionType,
    reason,
    requester: reason === LIFECYCLE_EXPIRATION_REASON ? 's3.amazonaws.com' : '123456789012',
  },
});

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

  it('matches every delete marker of the lake, and every version a request deleted', () => {
    const properties = template.toJSON().Resources[rule].Properties;
    expect(properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Deleted'],
      detail: {
        bucket: { name: [{ Ref: lake }] },
        $or: [
          { 'deletion-type': [DELETE_MARKER_CREATED] },
          {
            'deletion-type': [PERMANENTLY_DELETED],
            reason: [{ 'anything-but': [LIFECYCLE_EXPIRATION_REASON] }],
          },
        ],
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

  // A lifecycle rule added by any principal with s3:PutLifecycleConfiguration (current-version
  // Expiration) hides the lake behind markers with no request the bucket policy could refuse.
  it.each([
    ['a delete marker a request created', DELETE_MARKER_CREATED, 'DeleteObject', true],
    ['a delete marker a lifecycle rule created', DELETE_MARKER_CREATED, LIFECYCLE_EXPIRATION_REASON, true],
    ['a version a request deleted', PERMANENTLY_DELETED, 'DeleteObject', true],
    [
      'a version the noncurrent-version expiry deleted',
      PERMANENTLY_DELETED,
      LIFECYCLE_EXPIRATION_REASON,
      false,
    ],
  ])('%s (%s, %s): matched %s', (_, deletionType, reason, expected) => {
    const pattern = JSON.parse(
      JSON.stringify(template.toJSON().Resources[rule].Properties.EventPattern).replaceAll(
        JSON.stringify({ Ref: lake }),
        '"the-lake"',
      ),
    ) as Pattern;
    expect(matches(pattern, deletedEvent('the-lake', deletionType, reason))).toBe(expected);
    expect(matches(pattern, deletedEvent('another-bucket', deletionType, reason))).toBe(false);
  });

  // Why a lifecycle marker always alarms: none of the stack's own rules expires a current version.
  it('holds no lifecycle rule of the lake that creates delete markers', () => {
    const rules = template.toJSON().Resources[lake].Properties.LifecycleConfiguration.Rules as object[];
    expect(rules.length).toBeGreaterThan(0);
    for (const lifecycle of rules) {
      expect(lifecycle).not.toHaveProperty('ExpirationInDays');
      expect(lifecycle).not.toHaveProperty('ExpirationDate');
    }
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
