import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DIGEST_KEY_CHANGES,
  DIGEST_KEY_RUNBOOK,
  DigestKeyWatch,
} from '../../infra/constructs/digest-key-watch.ts';
import { DigestSigningKey } from '../../infra/constructs/digest-signing-key.ts';
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

/**
 * A KMS call as EventBridge receives it from CloudTrail (KMS Developer Guide, "ScheduleKeyDeletion"
 * CloudTrail example): the record under `detail`, the key in `resources` by ARN whatever the caller
 * named it by (here its id, as the example).
 */
const kmsCall = (eventName: string, keyArn: string): Pattern => ({
  source: 'aws.kms',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: {
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/Alice', accountId: '123456789012' },
    eventTime: '2026-12-05T09:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName,
    sourceIPAddress: '192.0.2.0',
    requestParameters: { keyId: keyArn.split('/')[1] },
    eventID: '3c4226b0-1e81-48a8-a333-7fa5f3cbd118',
    readOnly: false,
    resources: [{ accountId: '123456789012', type: 'AWS::KMS::Key', ARN: keyArn }],
  },
});

/** The smallest stack that shows the watch: the signing key, an encrypted topic, the watch between. */
function watchOnly() {
  const stack = new Stack(newTestApp(), 'Watch', { env: TEST_ENV });
  const signing = new DigestSigningKey(stack, 'DigestSigning');
  const topicKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Topic', { masterKey: topicKey, enforceSSL: true });
  new DigestKeyWatch(stack, 'DigestKeyWatch', {
    key: signing.key,
    alarmTopic: topic,
    alarmTopicKey: topicKey,
  });
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    signingKey: logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/'),
    topicKey: logicalIdOf(template, 'AWS::KMS::Key', '/TopicKey/'),
    topic: logicalIdOf(template, 'AWS::SNS::Topic', '/Topic/'),
    rule: logicalIdOf(template, 'AWS::Events::Rule', '/DigestKeyWatch/'),
  };
}

describe('changes of the digest signing key reach the alarm topic (review-stack F8)', () => {
  const { stack, template, signingKey, topicKey, topic, rule } = watchOnly();
  const properties = template.toJSON().Resources[rule].Properties;
  // The pattern with the key's ARN as CloudFormation would resolve it.
  const pattern = JSON.parse(
    JSON.stringify(properties.EventPattern).replaceAll(
      JSON.stringify({ 'Fn::GetAtt': [signingKey, 'Arn'] }),
      JSON.stringify(KEY_ARN),
    ),
  ) as Pattern;

  it.each(DIGEST_KEY_CHANGES)('matches %s on the signing key, and on no other key', (eventName) => {
    expect(matchesPattern(pattern, kmsCall(eventName, KEY_ARN))).toBe(true);
    expect(matchesPattern(pattern, kmsCall(eventName, OTHER_KEY_ARN))).toBe(false);
  });

  // The ingest signs every run: a message per signature would bury the changes.
  it.each(['Sign', 'GetPublicKey', 'DescribeKey', 'TagResource', 'CancelKeyDeletion'])(
    'leaves %s out',
    (eventName) => {
      expect(matchesPattern(pattern, kmsCall(eventName, KEY_ARN))).toBe(false);
    },
  );

  it('publishes to the alarm topic who changed the key, how, from where and when, and where to read on', () => {
    expect(properties.Targets).toHaveLength(1);
    const [target] = properties.Targets;
    expect(target.Arn).toEqual({ Ref: topic });
    expect(target.InputTransformer.InputPathsMap).toEqual(
      expect.objectContaining({
        'detail-eventName': '$.detail.eventName',
        'detail-userIdentity-arn': '$.detail.userIdentity.arn',
        'detail-sourceIPAddress': '$.detail.sourceIPAddress',
        'detail-eventTime': '$.detail.eventTime',
        'detail-eventID': '$.detail.eventID',
      }),
    );
    const message = JSON.parse(target.InputTransformer.InputTemplate) as string;
    for (const variable of Object.keys(target.InputTransformer.InputPathsMap))
      expect(message).toContain(`<${variable}>`);
    expect(message).toContain(`docs/operations.md "${DIGEST_KEY_RUNBOOK}"`);
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const headings = operations.split('\n').filter((line) => line.startsWith('#'));
    expect(headings.map((line) => line.replace(/^#+\s+/, '').replaceAll('`', ''))).toContain(
      DIGEST_KEY_RUNBOOK,
    );
  });

  // Without both, SNS refuses every message of an encrypted topic and nothing is delivered.
  it('lets EventBridge publish to the topic and encrypt with its key, for SNS topics of the account only', () => {
    const topicStatements = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
    );
    expect(
      topicStatements.some(
        (s) =>
          s.Effect === 'Allow' &&
          JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }) &&
          actionsOf(s).includes('sns:Publish'),
      ),
    ).toBe(true);
    const keyStatements = template.toJSON().Resources[topicKey].Properties.KeyPolicy
      .Statement as PolicyStatementJson[];
    const events = keyStatements.find((s) => s.Sid === 'DigestKeyChangesPublishToEncryptedTopic');
    expect(events?.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(actionsOf(events as PolicyStatementJson).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(JSON.stringify(events?.Condition)).toContain('kms:EncryptionContext:aws:sns:topicArn');
    expect(JSON.stringify(events?.Condition)).toContain(':sns:');
  });

  it('passes cdk-nag AwsSolutions with no acknowledgement', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('is part of the stack, on its signing key, to its alarm topic', () => {
    const { template: full } = sharedSynth(EVERY_FEATURE);
    const watch =
      full.toJSON().Resources[logicalIdOf(full, 'AWS::Events::Rule', '/DigestKeyWatch/')].Properties;
    const key = logicalIdOf(full, 'AWS::KMS::Key', '/DigestSigning/');
    expect(watch.EventPattern.detail.resources).toEqual({ ARN: [{ 'Fn::GetAtt': [key, 'Arn'] }] });
    expect(watch.Targets[0].Arn).toEqual({
      Ref: logicalIdOf(full, 'AWS::SNS::Topic', '/Monitoring/Alarms/'),
    });
  });
});
