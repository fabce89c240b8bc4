import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { DigestSigningKey } from '../../infra/constructs/digest-signing-key.ts';
import {
  DELETION_RULE_CHANGES,
  DIGEST_KEY_CHANGES,
  LAKE_BUCKET_CHANGES,
  LAKE_GUARD_RUNBOOK,
  LakeGuardWatch,
} from '../../infra/constructs/lake-guard-watch.ts';
import { matchesPattern, type Pattern } from './event-pattern.ts';
import {
  actionsOf,
  EVERY_FEATURE,
  logicalIdOf,
  newTestApp,
  type PolicyStatementJson,
  sharedSynth,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/99999999-12ab-34cd-56ef-1234567890ab';
const BUCKET = 'the-lake';
const RULE = 'the-deletion-rule';

/**
 * A call as EventBridge receives it from CloudTrail (KMS Developer Guide, "ScheduleKeyDeletion"
 * CloudTrail example): the record under `detail`.
 */
const cloudTrailCall = (source: string, eventName: string, record: Pattern): Pattern => ({
  source: `aws.${source}`,
  'detail-type': 'AWS API Call via CloudTrail',
  detail: {
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/Alice', accountId: '123456789012' },
    eventTime: '2026-12-05T09:00:00Z',
    eventSource: `${source}.amazonaws.com`,
    eventName,
    sourceIPAddress: '192.0.2.0',
    eventID: '3c4226b0-1e81-48a8-a333-7fa5f3cbd118',
    readOnly: false,
    ...record,
  },
});

/** A KMS call: the key in `resources` by ARN, whatever the caller named it by (here its id). */
const kmsCall = (eventName: string, keyArn: string) =>
  cloudTrailCall('kms', eventName, {
    requestParameters: { keyId: keyArn.split('/')[1] },
    resources: [{ accountId: '123456789012', type: 'AWS::KMS::Key', ARN: keyArn }],
  });

const s3Call = (eventName: string, bucketName: string) =>
  cloudTrailCall('s3', eventName, {
    requestParameters: { bucketName, Host: `${bucketName}.s3.eu-west-1.amazonaws.com` },
    resources: [{ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` }],
  });

/** An EventBridge call: the rule as `name` (DisableRule, DeleteRule, PutRule) or `rule` (targets). */
const eventsCall = (eventName: string, ruleName: string) =>
  cloudTrailCall('events', eventName, {
    requestParameters: eventName.endsWith('Targets')
      ? { rule: ruleName, ids: ['Target0'] }
      : { name: ruleName },
  });

/** The smallest stack that shows the watch: the key, the bucket, a rule, an encrypted topic. */
function watchOnly() {
  const stack = new Stack(newTestApp(), 'Watch', { env: TEST_ENV });
  const signing = new DigestSigningKey(stack, 'DigestSigning');
  const bucket = new s3.Bucket(stack, 'Lake', { enforceSSL: true });
  const deletionRule = new events.Rule(stack, 'Deletions', { eventPattern: { source: ['aws.s3'] } });
  const topicKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Topic', { masterKey: topicKey, enforceSSL: true });
  new LakeGuardWatch(stack, 'LakeGuardWatch', {
    key: signing.key,
    lakeBucket: bucket,
    deletionRule,
    alarmTopic: topic,
    alarmTopicKey: topicKey,
  });
  const template = Template.fromStack(stack);
  return {
    stack,
    bucket,
    template,
    ids: {
      signingKey: logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/'),
      bucket: logicalIdOf(template, 'AWS::S3::Bucket', '/Lake/'),
      deletionRule: logicalIdOf(template, 'AWS::Events::Rule', '/Deletions/'),
      topicKey: logicalIdOf(template, 'AWS::KMS::Key', '/TopicKey/'),
      topic: logicalIdOf(template, 'AWS::SNS::Topic', '/Topic/'),
      rule: logicalIdOf(template, 'AWS::Events::Rule', '/LakeGuardWatch/'),
    },
  };
}

describe('changes of the lake’s guards reach the alarm topic (review-stack F8)', () => {
  const { stack, bucket, template, ids } = watchOnly();
  const properties = template.toJSON().Resources[ids.rule].Properties;
  // The pattern with the references as CloudFormation would resolve them.
  const pattern = JSON.parse(
    JSON.stringify(properties.EventPattern)
      .replaceAll(JSON.stringify({ 'Fn::GetAtt': [ids.signingKey, 'Arn'] }), JSON.stringify(KEY_ARN))
      .replaceAll(JSON.stringify({ Ref: ids.bucket }), JSON.stringify(BUCKET))
      .replaceAll(JSON.stringify({ Ref: ids.deletionRule }), JSON.stringify(RULE)),
  ) as Pattern;
  const matched = (event: Pattern) => matchesPattern(pattern, event);

  it('names each guard by what CloudFormation resolves', () => {
    expect(JSON.stringify(pattern)).not.toMatch(/Fn::GetAtt|"Ref"/);
  });

  it.each(DIGEST_KEY_CHANGES)('matches %s on the signing key, and on no other key', (eventName) => {
    expect(matched(kmsCall(eventName, KEY_ARN))).toBe(true);
    expect(matched(kmsCall(eventName, OTHER_KEY_ARN))).toBe(false);
  });

  it.each(LAKE_BUCKET_CHANGES)('matches %s on the lake bucket, and on no other bucket', (eventName) => {
    expect(matched(s3Call(eventName, BUCKET))).toBe(true);
    expect(matched(s3Call(eventName, 'another-bucket'))).toBe(false);
  });

  it.each(DELETION_RULE_CHANGES)('matches %s on the deletion rule, and on no other rule', (eventName) => {
    expect(matched(eventsCall(eventName, RULE))).toBe(true);
    expect(matched(eventsCall(eventName, 'another-rule'))).toBe(false);
  });

  // The ingest signs and writes every run: a message per run would bury the changes.
  it.each([
    ['a signature', kmsCall('Sign', KEY_ARN)],
    ['a public key read', kmsCall('GetPublicKey', KEY_ARN)],
    ['a cancelled deletion', kmsCall('CancelKeyDeletion', KEY_ARN)],
    ['a policy read', s3Call('GetBucketPolicy', BUCKET)],
    ['a tag of the bucket', s3Call('PutBucketTagging', BUCKET)],
    ['a rule described', eventsCall('DescribeRule', RULE)],
    ['a key call named like a bucket call', kmsCall('PutBucketPolicy', KEY_ARN)],
  ])('leaves %s out', (_, event) => {
    expect(matched(event)).toBe(false);
  });

  it('publishes to the alarm topic what changed, who changed it, from where and when, and where to read on', () => {
    expect(properties.Targets).toHaveLength(1);
    const [target] = properties.Targets;
    expect(target.Arn).toEqual({ Ref: ids.topic });
    expect(target.InputTransformer.InputPathsMap).toEqual({
      'detail-eventName': '$.detail.eventName',
      'detail-eventSource': '$.detail.eventSource',
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
      'detail-userIdentity-accountId': '$.detail.userIdentity.accountId',
      'detail-sourceIPAddress': '$.detail.sourceIPAddress',
      'detail-eventTime': '$.detail.eventTime',
      'detail-eventID': '$.detail.eventID',
    });
    const message = JSON.parse(target.InputTransformer.InputTemplate) as string;
    for (const variable of Object.keys(target.InputTransformer.InputPathsMap))
      expect(message).toContain(`<${variable}>`);
    expect(message).toContain(`docs/operations.md "${LAKE_GUARD_RUNBOOK}"`);
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const headings = operations.split('\n').filter((line) => line.startsWith('#'));
    expect(headings.map((line) => line.replace(/^#+\s+/, '').replaceAll('`', ''))).toContain(
      LAKE_GUARD_RUNBOOK,
    );
  });

  // Without both, SNS refuses every message of an encrypted topic and nothing is delivered; with
  // them unconditioned (CDK's SnsTopic target), any rule of any account could post to the topic.
  it('lets this rule alone publish to the topic, and EventBridge encrypt with its key for SNS topics of the account', () => {
    const topicStatements = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
    );
    const fromEvents = (s: PolicyStatementJson) =>
      JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' });
    expect(topicStatements.filter(fromEvents)).toEqual([
      {
        Sid: 'LakeGuardChangesPublish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: ids.topic },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.rule, 'Arn'] } } },
      },
    ]);
    const keyStatements = template.toJSON().Resources[ids.topicKey].Properties.KeyPolicy
      .Statement as PolicyStatementJson[];
    const statements = keyStatements.filter(fromEvents);
    expect(statements.map((s) => s.Sid)).toEqual(['LakeGuardChangesPublishToEncryptedTopic']);
    const [statement] = statements as [PolicyStatementJson];
    expect(actionsOf(statement).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statement.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:123456789012:*',
      },
    });
  });

  it('passes cdk-nag AwsSolutions with no acknowledgement of its own', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    // The bare test bucket's findings (no access log) are the fixture's, not the watch's.
    const fixture = `${bucket.node.path}/Resource`;
    const findings = report.violations.flatMap((v) =>
      v.violatingResources
        .filter((r) => r.constructPath !== fixture)
        .map((r) => `${v.ruleName} ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('is part of the stack, on its signing key, lake bucket and deletion rule, to its alarm topic', () => {
    const { template: full } = sharedSynth(EVERY_FEATURE);
    const watch =
      full.toJSON().Resources[logicalIdOf(full, 'AWS::Events::Rule', '/LakeGuardWatch/')].Properties;
    const text = JSON.stringify(watch.EventPattern);
    expect(text).toContain(
      JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(full, 'AWS::KMS::Key', '/DigestSigning/'), 'Arn'] }),
    );
    expect(text).toContain(JSON.stringify({ Ref: logicalIdOf(full, 'AWS::S3::Bucket', '/Storage/Lake/') }));
    expect(text).toContain(
      JSON.stringify({ Ref: logicalIdOf(full, 'AWS::Events::Rule', '/LakeDeletions/') }),
    );
    expect(watch.Targets[0].Arn).toEqual({
      Ref: logicalIdOf(full, 'AWS::SNS::Topic', '/Monitoring/Alarms/'),
    });
  });
});
