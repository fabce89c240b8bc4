import { readFileSync } from 'node:fs';
import {
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  type IStackSynthesizer,
  Stack,
} from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INSTANCES } from '../../infra/config/config-fields.ts';
import { DigestSigningKey } from '../../infra/constructs/digest-signing-key.ts';
import {
  ALARM_SUBSCRIPTION_CHANGES,
  ALARM_TOPIC_CHANGES,
  DELETION_LOG_CHANGES,
  DELETION_RULE_CHANGES,
  DELETION_STREAM_CHANGES,
  DELETION_TARGET_CHANGES,
  DIGEST_KEY_CHANGES,
  FUNCTIONS_PER_RULE,
  LAKE_BUCKET_CHANGES,
  LAKE_DATABASE_CHANGES,
  LAKE_ENCRYPTION_CHANGES,
  LAKE_GUARD_RUNBOOK,
  LAKE_KEY_CHANGES,
  LAKE_REPLICATION_CHANGES,
  LAKE_TABLE_CHANGES,
  LakeGuardWatch,
  TRAIL_CHANGES,
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

/**
 * What each reference resolves to once deployed, at the longest each name can be: ARNs in the
 * longest partition and region (GovCloud's), a bucket name 63 characters, a rule name 64; the topic and the log group are named by
 * CloudFormation from the stack name (at most 128 characters), their logical id and a random part.
 * So the pattern's size is measured at its worst.
 */
const RESOLVED = {
  signingKey: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  topicKey: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab',
  bucket: `the-lake-${'b'.repeat(54)}`,
  deletionRule: `the-deletion-rule-${'r'.repeat(46)}`,
  deletionLog: `${'s'.repeat(128)}-LakeDeletionsLog6AF75BA4-AbCdEfGhIjKl`,
  /**
   * The CDK bootstrap's CloudFormation execution role, with the longest qualifier (10 characters),
   * in the partition and region whose names together are the longest (ISO-F's, one more than GovCloud's).
   */
  deployRole:
    'arn:aws-iso-f:iam::123456789012:role/cdk-q123456789-cfn-exec-role-123456789012-us-isof-south-1',
  topic: `arn:aws-us-gov:sns:us-gov-west-1:123456789012:${'s'.repeat(128)}-MonitoringAlarms66989066-AbCdEfGhIjKl`,
  expiryHours: `the-expiry-hours-rule-${'h'.repeat(42)}`,
  expiryOthers: `the-expiry-other-rule-${'o'.repeat(42)}`,
  alertsTopic: `arn:aws-us-gov:sns:us-gov-west-1:123456789012:${'s'.repeat(128)}-AlertsTopic12345678-AbCdEfGhIjKl`,
  /** The lake's customer key (`lakeEncryption.kmsKeyArn`), imported: its ARN as written. */
  lakeKey: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef',
  /** Glue's longest, which `athena.databaseName` takes. */
  database: `domo_${'d'.repeat(250)}`,
};
/**
 * A function's name as CloudFormation generates it at its longest: 64 characters, the stack's name
 * (shortened), the function's logical id (shortened) and a random part.
 */
const functionName = (i: number) =>
  `${'s'.repeat(26)}-Ingest${String(i).padStart(2, '0')}Function${'f'.repeat(10)}-AbCdEfGhIjKl`;
const OTHER_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/99999999-12ab-34cd-56ef-1234567890ab';

/** A call as EventBridge receives it from CloudTrail: the record under `detail`. */
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
const ruleCall = (eventName: string, name: string) =>
  cloudTrailCall('events', eventName, { requestParameters: { name } });
const targetsCall = (eventName: string, rule: string) =>
  cloudTrailCall('events', eventName, { requestParameters: { rule, ids: ['Target0'] } });
const logsCall = (eventName: string, logGroupName: string) =>
  cloudTrailCall('logs', eventName, { requestParameters: { logGroupName, retentionInDays: 1 } });
const snsCall = (eventName: string, requestParameters: Pattern) =>
  cloudTrailCall('sns', eventName, { requestParameters });
/** A Lambda call: the function named as the caller named it, by name or (partial) ARN. */
const lambdaCall = (eventName: string, functionName: string, sourceIPAddress = '192.0.2.0') =>
  cloudTrailCall('lambda', eventName, { requestParameters: { functionName }, sourceIPAddress });
/**
 * A Lambda call CloudFormation makes for a stack: as the stack's service role (`role`, an IAM role
 * ARN) when it has one, which CloudTrail records as that role's session; without one, as the
 * deployer (`Alice`, a user) in a session CloudFormation forwards. Either way from
 * `cloudformation.amazonaws.com`.
 */
const cloudFormationLambdaCall = (eventName: string, functionName: string, role?: string) => {
  const call = lambdaCall(eventName, functionName, 'cloudformation.amazonaws.com');
  const detail = call.detail as Pattern;
  const byDeployer = { ...(detail.userIdentity as Pattern), invokedBy: 'cloudformation.amazonaws.com' };
  const asRole = role && {
    type: 'AssumedRole',
    arn: `${role.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/AWSCloudFormation`,
    accountId: '123456789012',
    sessionContext: { sessionIssuer: { type: 'Role', arn: role, accountId: '123456789012' } },
    invokedBy: 'cloudformation.amazonaws.com',
  };
  return { ...call, detail: { ...detail, userIdentity: asRole || byDeployer } };
};
const trailCall = (eventName: string) =>
  cloudTrailCall('cloudtrail', eventName, { requestParameters: { name: 'management-events' } });

/** The smallest stack that shows the watch: every guard it names, an encrypted topic, a queue. */
function watchOnly(functionCount = 0, lakeKeyArn?: string, synthesizer?: IStackSynthesizer) {
  const stack = new Stack(newTestApp(), 'Watch', { env: TEST_ENV, ...(synthesizer ? { synthesizer } : {}) });
  const signing = new DigestSigningKey(stack, 'DigestSigning');
  const bucket = new s3.Bucket(stack, 'Lake', { enforceSSL: true });
  const deletionRule = new events.Rule(stack, 'Deletions', { eventPattern: { source: ['aws.s3'] } });
  const deletionLog = new logs.LogGroup(stack, 'DeletionLog');
  const expiryHours = new events.Rule(stack, 'ExpiryHours', { eventPattern: { source: ['aws.s3'] } });
  const expiryOthers = new events.Rule(stack, 'ExpiryOthers', { eventPattern: { source: ['aws.s3'] } });
  const topicKey = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Topic', { masterKey: topicKey, enforceSSL: true });
  const alertsTopic = new sns.Topic(stack, 'AlertsTopic', { masterKey: topicKey, enforceSSL: true });
  const queue = new sqs.Queue(stack, 'Failures', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
  });
  const functions = Array.from(
    { length: functionCount },
    (_, i) =>
      new lambda.Function(stack, `Fn${i}`, {
        code: lambda.Code.fromInline('exports.handler = async () => {};'),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_22_X,
      }),
  );
  const watch = new LakeGuardWatch(stack, 'LakeGuardWatch', {
    key: signing.key,
    lakeBucket: bucket,
    deletionRule,
    deletionLog,
    alarmTopic: topic,
    alarmTopicKey: topicKey,
    failureQueue: queue,
    expiryRules: [expiryHours, expiryOthers],
    alertsTopic,
    databaseName: RESOLVED.database,
    ...(functionCount > 0 ? { functions } : {}),
    ...(lakeKeyArn ? { lakeKeyArns: [lakeKeyArn] } : {}),
  });
  const template = Template.fromStack(stack);
  const ids = {
    signingKey: logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/'),
    topicKey: logicalIdOf(template, 'AWS::KMS::Key', '/TopicKey/'),
    bucket: logicalIdOf(template, 'AWS::S3::Bucket', '/Lake/'),
    deletionRule: logicalIdOf(template, 'AWS::Events::Rule', '/Deletions/'),
    deletionLog: logicalIdOf(template, 'AWS::Logs::LogGroup', '/DeletionLog/'),
    topic: logicalIdOf(template, 'AWS::SNS::Topic', '/Topic/'),
    queue: logicalIdOf(template, 'AWS::SQS::Queue', '/Failures/'),
    rule: logicalIdOf(template, 'AWS::Events::Rule', '/LakeGuardWatch/Rule/'),
    moreRule: logicalIdOf(template, 'AWS::Events::Rule', '/LakeGuardWatch/MoreRule/'),
    catalogRule: logicalIdOf(template, 'AWS::Events::Rule', '/LakeGuardWatch/CatalogRule/'),
    expiryHours: logicalIdOf(template, 'AWS::Events::Rule', '/ExpiryHours/'),
    expiryOthers: logicalIdOf(template, 'AWS::Events::Rule', '/ExpiryOthers/'),
    alertsTopic: logicalIdOf(template, 'AWS::SNS::Topic', '/AlertsTopic/'),
    /** Not a logical id: the deploy role's ARN as the stack's synthesizer writes it, if it names one. */
    deployRole:
      stack.synthesizer instanceof DefaultStackSynthesizer
        ? stack.synthesizer.cloudFormationExecutionRoleArn
        : undefined,
  };
  const functionIds = functions.map((fn) => stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction));
  const functionRuleIds = watch.functionRules.map((rule) =>
    stack.getLogicalId(rule.node.defaultChild as events.CfnRule),
  );
  return { stack, bucket, queue, template, ids, functionIds, functionRuleIds };
}

/** The rule's pattern with every reference replaced by what it resolves to. */
function resolvedPattern(
  pattern: unknown,
  ids: ReturnType<typeof watchOnly>['ids'],
  functionIds: readonly string[] = [],
): Pattern {
  const references: [unknown, string][] = [
    [{ 'Fn::GetAtt': [ids.signingKey, 'Arn'] }, RESOLVED.signingKey],
    [{ 'Fn::GetAtt': [ids.topicKey, 'Arn'] }, RESOLVED.topicKey],
    [{ Ref: ids.bucket }, RESOLVED.bucket],
    [{ Ref: ids.deletionRule }, RESOLVED.deletionRule],
    [{ Ref: ids.deletionLog }, RESOLVED.deletionLog],
    [{ Ref: ids.topic }, RESOLVED.topic],
    [{ Ref: ids.expiryHours }, RESOLVED.expiryHours],
    [{ Ref: ids.expiryOthers }, RESOLVED.expiryOthers],
    [{ Ref: ids.alertsTopic }, RESOLVED.alertsTopic],
    ...functionIds.map((id, i): [unknown, string] => [{ Ref: id }, functionName(i)]),
    // The deploy role as the synthesizer names it, with the placeholders CloudFormation fills.
    ...(ids.deployRole ? [[{ 'Fn::Sub': ids.deployRole }, RESOLVED.deployRole] as [unknown, string]] : []),
  ];
  // The subscription prefixes first: a topic's ARN joined with ':'.
  let text = JSON.stringify(pattern)
    .replaceAll(
      JSON.stringify({ 'Fn::Join': ['', [{ Ref: ids.topic }, ':']] }),
      JSON.stringify(`${RESOLVED.topic}:`),
    )
    .replaceAll(
      JSON.stringify({ 'Fn::Join': ['', [{ Ref: ids.alertsTopic }, ':']] }),
      JSON.stringify(`${RESOLVED.alertsTopic}:`),
    );
  for (const [reference, value] of references)
    text = text.replaceAll(JSON.stringify(reference), JSON.stringify(value));
  return JSON.parse(text) as Pattern;
}

describe('changes of the lake’s guards reach the alarm topic (review-stack F8, review-watch)', () => {
  const { stack, bucket, queue, template, ids } = watchOnly();
  const properties = template.toJSON().Resources[ids.rule].Properties;
  const pattern = resolvedPattern(properties.EventPattern, ids);
  const matched = (event: Pattern) => matchesPattern(pattern, event);

  it('names each guard by what CloudFormation resolves, within the 2,048 characters of a pattern', () => {
    expect(JSON.stringify(pattern)).not.toMatch(/Fn::|"Ref"/);
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
  });

  // Records as AWS's own examples spell them (KMS Developer Guide "ScheduleKeyDeletion"; the S3
  // names CIS's CloudTrail metric filters use), so that a wrong name in the lists fails here.
  it.each([
    ['ScheduleKeyDeletion of the signing key', kmsCall('ScheduleKeyDeletion', RESOLVED.signingKey)],
    ['PutKeyPolicy of the alarm topic key', kmsCall('PutKeyPolicy', RESOLVED.topicKey)],
    ['PutBucketLifecycle of the lake', s3Call('PutBucketLifecycle', RESOLVED.bucket)],
    ['PutBucketPolicy of the lake', s3Call('PutBucketPolicy', RESOLVED.bucket)],
    ['DisableRule of the deletion rule', ruleCall('DisableRule', RESOLVED.deletionRule)],
    ['RemoveTargets of the deletion rule', targetsCall('RemoveTargets', RESOLVED.deletionRule)],
    ['StopLogging of any trail', trailCall('StopLogging')],
  ])('matches %s, as AWS spells it', (_, event) => {
    expect(matched(event)).toBe(true);
  });

  it.each(DIGEST_KEY_CHANGES)('matches %s on either key, and on no other key', (eventName) => {
    expect(matched(kmsCall(eventName, RESOLVED.signingKey))).toBe(true);
    expect(matched(kmsCall(eventName, RESOLVED.topicKey))).toBe(true);
    expect(matched(kmsCall(eventName, OTHER_KEY))).toBe(false);
  });

  it.each(LAKE_BUCKET_CHANGES)('matches %s on the lake bucket, and on no other bucket', (eventName) => {
    expect(matched(s3Call(eventName, RESOLVED.bucket))).toBe(true);
    expect(matched(s3Call(eventName, 'another-bucket'))).toBe(false);
  });

  it.each(DELETION_RULE_CHANGES)('matches %s on the deletion rule, and on no other rule', (eventName) => {
    expect(matched(ruleCall(eventName, RESOLVED.deletionRule))).toBe(true);
    expect(matched(ruleCall(eventName, 'another-rule'))).toBe(false);
  });

  it.each(DELETION_TARGET_CHANGES)('matches %s on the deletion rule, and on no other rule', (eventName) => {
    expect(matched(targetsCall(eventName, RESOLVED.deletionRule))).toBe(true);
    expect(matched(targetsCall(eventName, 'another-rule'))).toBe(false);
  });

  it.each(DELETION_LOG_CHANGES)('matches %s on the deletion log, and on no other log group', (eventName) => {
    expect(matched(logsCall(eventName, RESOLVED.deletionLog))).toBe(true);
    expect(matched(logsCall(eventName, '/aws/lambda/another'))).toBe(false);
  });

  it.each(ALARM_TOPIC_CHANGES)('matches %s on the alarm topic, and on no other topic', (eventName) => {
    expect(matched(snsCall(eventName, { topicArn: RESOLVED.topic }))).toBe(true);
    expect(matched(snsCall(eventName, { topicArn: `${RESOLVED.topic}-other` }))).toBe(false);
  });

  it.each(ALARM_SUBSCRIPTION_CHANGES)(
    'matches %s of a subscription of the alarm topic, and of no other',
    (name) => {
      const subscription = (topic: string) => snsCall(name, { subscriptionArn: `${topic}:0a1b2c3d-4e5f` });
      expect(matched(subscription(RESOLVED.topic))).toBe(true);
      expect(matched(subscription(`${RESOLVED.topic}-other`))).toBe(false);
    },
  );

  it.each(TRAIL_CHANGES)('matches %s on any trail', (eventName) => {
    expect(matched(trailCall(eventName))).toBe(true);
  });

  // The ingest signs and writes every run: a message per run would bury the changes.
  it.each([
    ['a signature', kmsCall('Sign', RESOLVED.signingKey)],
    ['a public key read', kmsCall('GetPublicKey', RESOLVED.signingKey)],
    ['a cancelled deletion', kmsCall('CancelKeyDeletion', RESOLVED.signingKey)],
    ['a policy read', s3Call('GetBucketPolicy', RESOLVED.bucket)],
    ['a tag of the bucket', s3Call('PutBucketTagging', RESOLVED.bucket)],
    ['a rule described', ruleCall('DescribeRule', RESOLVED.deletionRule)],
    ['the rule disabled, named as a target call names it', targetsCall('DisableRule', RESOLVED.deletionRule)],
    ['a message published', snsCall('Publish', { topicArn: RESOLVED.topic })],
    ['a trail read', trailCall('GetTrailStatus')],
    ['a key call named like a bucket call', kmsCall('PutBucketPolicy', RESOLVED.signingKey)],
  ])('leaves %s out', (_, event) => {
    expect(matched(event)).toBe(false);
  });

  describe('the guards that did not fit in the first pattern (review R-SECOND9 M1, L4, L6)', () => {
    const more = resolvedPattern(template.toJSON().Resources[ids.moreRule].Properties.EventPattern, ids);
    const moreMatched = (event: Pattern) => matchesPattern(more, event);

    it('names each guard by what CloudFormation resolves, within the 2,048 characters of a pattern', () => {
      expect(JSON.stringify(more)).not.toMatch(/Fn::|"Ref"/);
      expect(JSON.stringify(more).length).toBeLessThanOrEqual(2048);
    });

    it.each(LAKE_REPLICATION_CHANGES)(
      'matches %s on the lake bucket, and on no other bucket',
      (eventName) => {
        expect(moreMatched(s3Call(eventName, RESOLVED.bucket))).toBe(true);
        expect(moreMatched(s3Call(eventName, 'another-bucket'))).toBe(false);
        expect(matched(s3Call(eventName, RESOLVED.bucket))).toBe(false);
      },
    );

    // Review CMK2: switching the lake's default encryption to another key, then deleting that
    // key, destroys every object written meanwhile, and no rule saw the switch.
    it.each(LAKE_ENCRYPTION_CHANGES)('matches %s on the lake bucket, and on no other bucket', (eventName) => {
      expect(moreMatched(s3Call(eventName, RESOLVED.bucket))).toBe(true);
      expect(moreMatched(s3Call(eventName, 'another-bucket'))).toBe(false);
      expect(matched(s3Call(eventName, RESOLVED.bucket))).toBe(false);
    });

    it('leaves the encryption read out', () => {
      expect(moreMatched(s3Call('GetBucketEncryption', RESOLVED.bucket))).toBe(false);
    });

    // In the first rule since review CMK2, with the log group's other calls: the room it took here
    // went to the encryption calls.
    it.each(DELETION_STREAM_CHANGES)(
      'matches %s on the deletion log in the first rule, and on no other log group',
      (eventName) => {
        expect(matched(logsCall(eventName, RESOLVED.deletionLog))).toBe(true);
        expect(matched(logsCall(eventName, '/aws/lambda/another'))).toBe(false);
        expect(moreMatched(logsCall(eventName, RESOLVED.deletionLog))).toBe(false);
      },
    );

    it('matches the expiry rules disabled, deleted or retargeted, and no other rule', () => {
      for (const name of [RESOLVED.expiryHours, RESOLVED.expiryOthers]) {
        for (const eventName of DELETION_RULE_CHANGES)
          expect(moreMatched(ruleCall(eventName, name))).toBe(true);
        for (const eventName of DELETION_TARGET_CHANGES)
          expect(moreMatched(targetsCall(eventName, name))).toBe(true);
      }
      expect(moreMatched(ruleCall('DisableRule', 'another-rule'))).toBe(false);
    });

    it('matches the alerts topic’s policy and subscriptions changed, and no other topic’s', () => {
      for (const eventName of ALARM_TOPIC_CHANGES) {
        expect(moreMatched(snsCall(eventName, { topicArn: RESOLVED.alertsTopic }))).toBe(true);
        expect(moreMatched(snsCall(eventName, { topicArn: `${RESOLVED.alertsTopic}-other` }))).toBe(false);
      }
      for (const eventName of ALARM_SUBSCRIPTION_CHANGES)
        expect(moreMatched(snsCall(eventName, { subscriptionArn: `${RESOLVED.alertsTopic}:0a1b2c3d` }))).toBe(
          true,
        );
    });

    it('publishes the same message to the alarm topic, and what it cannot to the failure queue', () => {
      const [target] = template.toJSON().Resources[ids.moreRule].Properties.Targets;
      expect(target.Arn).toEqual({ Ref: ids.topic });
      expect(target.InputTransformer).toEqual(properties.Targets[0].InputTransformer);
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } });
    });
  });

  describe('the lake’s Glue database and tables, in a rule of their own (review CMK3)', () => {
    const catalog = resolvedPattern(
      template.toJSON().Resources[ids.catalogRule].Properties.EventPattern,
      ids,
    );
    const catalogMatched = (event: Pattern) => matchesPattern(catalog, event);
    const more = resolvedPattern(template.toJSON().Resources[ids.moreRule].Properties.EventPattern, ids);

    it('names the database by what CloudFormation resolves, within the 2,048 characters of a pattern', () => {
      expect(JSON.stringify(catalog)).not.toMatch(/Fn::|"Ref"/);
      expect(JSON.stringify(catalog).length).toBeLessThanOrEqual(2048);
    });

    // Partition projection turned off, or the table deleted: Athena, the report and the alerts
    // read nothing of the lake, and the lake's objects are untouched.
    it.each(LAKE_TABLE_CHANGES)('matches %s in the lake’s database, and in no other', (eventName) => {
      const glueCall = (databaseName: string) =>
        cloudTrailCall('glue', eventName, { requestParameters: { databaseName, name: 'activity_log' } });
      expect(catalogMatched(glueCall(RESOLVED.database))).toBe(true);
      // Glue folds the name to lower case: a call naming it in another case changes the same tables.
      expect(catalogMatched(glueCall(RESOLVED.database.toUpperCase()))).toBe(true);
      expect(catalogMatched(glueCall(`Domo_${RESOLVED.database.slice(5)}`))).toBe(true);
      expect(catalogMatched(glueCall('another_database'))).toBe(false);
      expect(catalogMatched(glueCall(`${RESOLVED.database}_other`))).toBe(false);
      expect(matchesPattern(more, glueCall(RESOLVED.database))).toBe(false);
    });

    // A deleted database takes every table of the lake with it, in one call the table calls do not
    // name (review CMK3). Named here, not read from LAKE_DATABASE_CHANGES: a call taken out of the
    // list would take its own case with it, and the test would still pass (review REVIEW87A).
    it.each(['UpdateDatabase', 'DeleteDatabase'])(
      'matches %s of the lake’s database, in any case, and of no other',
      (eventName) => {
        const glueCall = (name: string) => cloudTrailCall('glue', eventName, { requestParameters: { name } });
        expect(catalogMatched(glueCall(RESOLVED.database))).toBe(true);
        expect(catalogMatched(glueCall(RESOLVED.database.toUpperCase()))).toBe(true);
        expect(catalogMatched(glueCall('another_database'))).toBe(false);
        expect(catalogMatched(glueCall(`${RESOLVED.database}_other`))).toBe(false);
      },
    );

    it('leaves out a table of another database that bears the lake database’s name', () => {
      const requestParameters = { databaseName: 'another_database', name: RESOLVED.database };
      expect(catalogMatched(cloudTrailCall('glue', 'DeleteTable', { requestParameters }))).toBe(false);
    });

    it('leaves the catalog’s reads out', () => {
      for (const [eventName, requestParameters] of [
        ['GetTable', { databaseName: RESOLVED.database, name: 'activity_log' }],
        ['GetDatabase', { name: RESOLVED.database }],
        ['GetPartitions', { databaseName: RESOLVED.database, tableName: 'activity_log' }],
      ] as const)
        expect(catalogMatched(cloudTrailCall('glue', eventName, { requestParameters }))).toBe(false);
    });

    it('publishes the same message to the alarm topic, and what it cannot to the failure queue', () => {
      const resources = template.toJSON().Resources;
      expect(resources[ids.catalogRule].Properties.Targets).toEqual(resources[ids.rule].Properties.Targets);
    });
  });

  it('publishes what was called, by whom, from where, when and whether it was refused, and where to read on', () => {
    expect(properties.Targets).toHaveLength(1);
    const [target] = properties.Targets;
    expect(target.Arn).toEqual({ Ref: ids.topic });
    expect(Object.values(target.InputTransformer.InputPathsMap).sort()).toEqual(
      [
        '$.detail.eventName',
        '$.detail.eventSource',
        '$.detail.userIdentity.type',
        '$.detail.userIdentity.arn',
        '$.detail.userIdentity.invokedBy',
        '$.detail.userIdentity.accountId',
        '$.detail.sourceIPAddress',
        '$.detail.eventTime',
        '$.detail.errorCode',
        '$.detail.errorMessage',
        '$.detail.eventID',
      ].sort(),
    );
    const message = JSON.parse(target.InputTransformer.InputTemplate) as string;
    for (const variable of Object.keys(target.InputTransformer.InputPathsMap))
      expect(message).toContain(`<${variable}>`);
    // The template is a JSON string: a double quote inside would reach the mail escaped.
    expect(message).not.toContain('"');
    expect(message).toContain(`docs/operations.md, section ${LAKE_GUARD_RUNBOOK}`);
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const headings = operations.split('\n').filter((line) => line.startsWith('#'));
    expect(headings.map((line) => line.replace(/^#+\s+/, '').replaceAll('`', ''))).toContain(
      LAKE_GUARD_RUNBOOK,
    );
  });

  // Review CMK2: the runbook said nothing of the lake key's calls (DeleteImportedKeyMaterial not at
  // all), so an on-call reading a message of LakeKeyRule found no step to take.
  it.each([
    ...DIGEST_KEY_CHANGES,
    ...LAKE_KEY_CHANGES,
    ...LAKE_BUCKET_CHANGES,
    ...LAKE_REPLICATION_CHANGES,
    ...LAKE_ENCRYPTION_CHANGES,
    ...LAKE_TABLE_CHANGES,
    ...LAKE_DATABASE_CHANGES,
    ...DELETION_STREAM_CHANGES,
    ...DELETION_RULE_CHANGES,
    ...DELETION_TARGET_CHANGES,
    ...DELETION_LOG_CHANGES,
    ...ALARM_TOPIC_CHANGES,
    ...ALARM_SUBSCRIPTION_CHANGES,
    ...TRAIL_CHANGES,
  ])('names %s in the runbook the message sends its reader to', (eventName) => {
    const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const start = operations.indexOf(`### \`LakeGuardChanged\``);
    const end = operations.indexOf('\n#', start + 1);
    expect(start).toBeGreaterThan(-1);
    expect(operations.slice(start, end)).toContain(`\`${eventName}\``);
  });

  // A message EventBridge cannot publish (the topic or its key taken away) would otherwise be
  // dropped after a day of retries with nothing but the rule's own metric to say so.
  it('sends what it cannot publish to the failure queue, which lets this rule alone write to it', () => {
    const [target] = properties.Targets;
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } });
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
    );
    expect(statements.find((s) => s.Sid === 'LakeGuardChangesUndelivered')).toEqual({
      Sid: 'LakeGuardChangesUndelivered',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      Condition: {
        ArnEquals: {
          'aws:SourceArn': [
            { 'Fn::GetAtt': [ids.rule, 'Arn'] },
            { 'Fn::GetAtt': [ids.moreRule, 'Arn'] },
            { 'Fn::GetAtt': [ids.catalogRule, 'Arn'] },
          ],
        },
      },
    });
  });

  // Without both, SNS refuses every message of an encrypted topic and nothing is delivered. The
  // topic statement has no condition: AWS documents none for EventBridge on SNS topic policies.
  it('lets EventBridge publish to the topic, and encrypt with its key for SNS topics of the account only', () => {
    const fromEvents = (s: PolicyStatementJson) =>
      JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' });
    const topicStatements = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
    );
    expect(topicStatements.filter(fromEvents)).toEqual([
      {
        Sid: 'LakeGuardChangesPublish',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: ids.topic },
      },
    ]);
    const keyStatements = template.toJSON().Resources[ids.topicKey].Properties.KeyPolicy
      .Statement as PolicyStatementJson[];
    const statements = keyStatements.filter(fromEvents);
    expect(statements.map((s) => s.Sid)).toEqual(['LakeGuardChangesPublishToEncryptedTopic']);
    const [statement] = statements as [PolicyStatementJson];
    expect(actionsOf(statement).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(statement.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:123456789012:*' },
    });
  });

  it('passes cdk-nag AwsSolutions with no acknowledgement of its own', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    // The bare test bucket's and queue's findings (no access log, no dead-letter queue) are the
    // fixture's, not the watch's.
    const fixtures = [`${bucket.node.path}/Resource`, `${queue.node.path}/Resource`];
    const findings = report.violations.flatMap((v) =>
      v.violatingResources
        .filter((r) => !fixtures.includes(r.constructPath ?? ''))
        .map((r) => `${v.ruleName} ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('is part of the stack, on its keys, lake bucket, deletion rule and log, to its alarm topic', () => {
    const { template: full } = sharedSynth(EVERY_FEATURE);
    const watch =
      full.toJSON().Resources[logicalIdOf(full, 'AWS::Events::Rule', '/LakeGuardWatch/Rule/')].Properties;
    const text = JSON.stringify(watch.EventPattern);
    for (const [type, path] of [
      ['AWS::KMS::Key', '/DigestSigning/'],
      ['AWS::KMS::Key', '/Monitoring/AlarmsKey/'],
    ] as const)
      expect(text).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(full, type, path), 'Arn'] }));
    for (const [type, path] of [
      ['AWS::S3::Bucket', '/Storage/Lake/'],
      ['AWS::Events::Rule', '/LakeDeletions/Rule/'],
      ['AWS::Logs::LogGroup', '/LakeDeletions/Log/'],
      ['AWS::SNS::Topic', '/Monitoring/Alarms/'],
    ] as const)
      expect(text).toContain(JSON.stringify({ Ref: logicalIdOf(full, type, path) }));
    expect(watch.Targets[0].Arn).toEqual({
      Ref: logicalIdOf(full, 'AWS::SNS::Topic', '/Monitoring/Alarms/'),
    });
    expect(watch.Targets[0].DeadLetterConfig).toEqual({
      Arn: { 'Fn::GetAtt': [logicalIdOf(full, 'AWS::SQS::Queue', '/FailedInvocations/'), 'Arn'] },
    });
  });
});

// Review SECARCH: a principal allowed lambda:UpdateFunctionCode on an ingest function runs its
// code as the ingest role, which puts hours and signs digests: the chain still verifies.
describe('changes of the stack’s functions reach the alarm topic (review SECARCH2)', () => {
  // Ingest and alerts per instance, the report and the lake key check (LakeKeyKept).
  const FUNCTIONS = MAX_INSTANCES * 2 + 2;
  const { template, ids, functionIds, functionRuleIds } = watchOnly(FUNCTIONS);
  const resources = template.toJSON().Resources;
  const patterns = functionRuleIds.map((id) =>
    resolvedPattern(resources[id].Properties.EventPattern, ids, functionIds),
  );
  const matched = (event: Pattern) => patterns.some((pattern) => matchesPattern(pattern, event));

  it(`names the ${FUNCTIONS} functions of ${MAX_INSTANCES} instances with the report, the alerts and the key check, within the 2,048 characters of a pattern`, () => {
    expect(patterns).toHaveLength(Math.ceil(FUNCTIONS / FUNCTIONS_PER_RULE));
    for (const pattern of patterns) {
      expect(JSON.stringify(pattern)).not.toMatch(/Fn::|"Ref"/);
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
    }
  });

  // CloudTrail records Lambda's calls under the API's versioned names.
  it.each([
    'UpdateFunctionCode20150331v2',
    'UpdateFunctionConfiguration20150331v2',
    'DeleteFunction20150331',
    'PutFunctionConcurrency20171031',
    'DeleteFunctionConcurrency20171031',
    'AddPermission20150331v2',
    'PutFunctionEventInvokeConfig',
    'CreateFunctionUrlConfig',
    // Review of the watch: the runtime's updates held back, a new source of runs, an alias moved.
    'PutRuntimeManagementConfig',
    'CreateEventSourceMapping20150331',
    'UpdateAlias20150331',
    'UpdateFunctionUrlConfig',
    'PutProvisionedConcurrencyConfig',
    // Review CMK3: the report's leave to invoke itself per instance, taken away.
    'RemovePermission20150331v2',
  ])('matches %s on each function, named by name, ARN or partial ARN', (eventName) => {
    for (let i = 0; i < FUNCTIONS; i++) {
      expect(matched(lambdaCall(eventName, functionName(i)))).toBe(true);
      expect(
        matched(lambdaCall(eventName, `arn:aws:lambda:eu-west-1:123456789012:function:${functionName(i)}`)),
      ).toBe(true);
      expect(matched(lambdaCall(eventName, `123456789012:function:${functionName(i)}`))).toBe(true);
    }
    expect(matched(lambdaCall(eventName, 'another-function'))).toBe(false);
    expect(matched(lambdaCall(eventName, `${functionName(0)}-other`))).toBe(false);
  });

  it('leaves out reads, invocations and the deploy’s own calls', () => {
    for (const eventName of [
      'GetFunction20150331v2',
      'Invoke',
      'ListFunctions20150331',
      'GetRuntimeManagementConfig',
      'ListEventSourceMappings20150331',
      'InvokeFunctionUrl',
    ])
      expect(matched(lambdaCall(eventName, functionName(0)))).toBe(false);
    expect(
      matched(cloudFormationLambdaCall('UpdateFunctionCode20150331v2', functionName(0), RESOLVED.deployRole)),
    ).toBe(false);
  });

  // Review GUARD: the source address alone left out every stack's CloudFormation, so another stack
  // could add an AWS::Lambda::Permission or AWS::Lambda::Url on a function of this one unseen.
  it.each(['AddPermission20150331v2', 'CreateFunctionUrlConfig', 'UpdateFunctionCode20150331v2'])(
    'matches %s by another stack’s CloudFormation: another role, or none',
    (eventName) => {
      const otherRole = 'arn:aws:iam::123456789012:role/other-stack-cloudformation-role';
      expect(matched(cloudFormationLambdaCall(eventName, functionName(0), otherRole))).toBe(true);
      expect(matched(cloudFormationLambdaCall(eventName, functionName(0)))).toBe(true);
    },
  );

  // A stack deployed with its deployer's credentials (CliCredentialsStackSynthesizer, or CDK's
  // legacy one) names no role that could be told from another stack's: nothing is left out.
  it('leaves nothing out when the synthesizer names no deploy role', () => {
    const cli = watchOnly(2, undefined, new CliCredentialsStackSynthesizer());
    const [id] = cli.functionRuleIds;
    const pattern = resolvedPattern(
      cli.template.toJSON().Resources[id as string].Properties.EventPattern,
      cli.ids,
      cli.functionIds,
    );
    for (const role of [RESOLVED.deployRole, undefined])
      expect(
        matchesPattern(
          pattern,
          cloudFormationLambdaCall('UpdateFunctionCode20150331v2', functionName(0), role),
        ),
      ).toBe(true);
  });

  it('matches a person’s call as the deploy role, from their own address', () => {
    const call = cloudFormationLambdaCall('AddPermission20150331v2', functionName(0), RESOLVED.deployRole);
    expect(matched({ ...call, detail: { ...(call.detail as Pattern), sourceIPAddress: '192.0.2.0' } })).toBe(
      true,
    );
  });

  // Why FUNCTION_CHANGES leaves TagResource and UntagResource out: a tag of a function changes
  // nothing the stack allows. Should a policy of the stack ever read one, watch the tags too.
  it('is right to leave tags out: no policy of the stack reads a function’s tags', () => {
    const { template: full } = sharedSynth(EVERY_FEATURE);
    /** Every policy statement of the template (role, resource and key policies alike). */
    const statementsIn = (node: unknown): PolicyStatementJson[] => {
      if (Array.isArray(node)) return node.flatMap(statementsIn);
      if (node === null || typeof node !== 'object') return [];
      const own = 'Effect' in node && 'Action' in node ? [node as PolicyStatementJson] : [];
      return [...own, ...Object.values(node).flatMap(statementsIn)];
    };
    const lambdaStatements = statementsIn(full.toJSON().Resources).filter((s) =>
      actionsOf(s).some((action) => action.startsWith('lambda:')),
    );
    expect(lambdaStatements.length).toBeGreaterThan(0);
    for (const statement of lambdaStatements)
      expect(JSON.stringify(statement.Condition ?? {})).not.toMatch(/ResourceTag|RequestTag|TagKeys/);
  });

  it('publishes the guards’ message to the alarm topic, and what it cannot to the failure queue', () => {
    const first = resources[ids.rule].Properties.Targets[0];
    for (const id of functionRuleIds) {
      const [target] = resources[id].Properties.Targets;
      expect(target).toEqual({ ...first, Id: target.Id });
    }
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
    );
    const undelivered = statements.find((s) => s.Sid === 'LakeGuardChangesUndelivered');
    for (const id of functionRuleIds)
      expect(undelivered?.Condition?.ArnEquals?.['aws:SourceArn']).toContainEqual({
        'Fn::GetAtt': [id, 'Arn'],
      });
  });

  it('is part of the stack, on every ingest, alerts, report and lake key check function, and the lake’s tables', () => {
    const { template: full } = sharedSynth(EVERY_FEATURE);
    const text = JSON.stringify(
      Object.values(full.findResources('AWS::Events::Rule'))
        .filter((rule) => JSON.stringify(rule.Properties.EventPattern).includes('aws.lambda'))
        .map((rule) => rule.Properties.EventPattern),
    );
    // Review REVIEW87A: the lake key check's code replaced by hand would let a key removal through.
    const fns = Object.keys(full.findResources('AWS::Lambda::Function')).filter((id) =>
      /Ingest|Alerts|Report|LakeKeyKept/.test(id),
    );
    expect(fns.filter((id) => id.startsWith('LakeKeyKept'))).toHaveLength(1);
    expect(fns.length).toBeGreaterThanOrEqual(4);
    for (const id of fns) expect(text).toContain(JSON.stringify({ Ref: id }));
    // The lake's database and tables, in the catalog rule, by the database's name.
    const [database] = Object.values(full.findResources('AWS::Glue::Database'));
    const catalog =
      full.toJSON().Resources[logicalIdOf(full, 'AWS::Events::Rule', '/LakeGuardWatch/CatalogRule/')];
    const name = [{ 'equals-ignore-case': database?.Properties.DatabaseInput.Name }];
    for (const field of [{ databaseName: name }, { name }])
      expect(JSON.stringify(catalog.Properties.EventPattern)).toContain(JSON.stringify(field));
  });
});

describe("the lake's customer key (lakeEncryption), watched in a rule of its own", () => {
  const keyedWatch = watchOnly(0, RESOLVED.lakeKey);
  const plainWatch = watchOnly();
  const rulesOf = ({ template }: ReturnType<typeof watchOnly>) => template.findResources('AWS::Events::Rule');
  const keyRuleId = logicalIdOf(keyedWatch.template, 'AWS::Events::Rule', '/LakeGuardWatch/LakeKeyRule/');
  const keyRule = rulesOf(keyedWatch)[keyRuleId];
  const pattern = keyRule?.Properties.EventPattern as Pattern;
  const matched = (event: Pattern) => matchesPattern(pattern, event);

  // Each makes what the key encrypted unreadable, from the stack's roles too.
  it.each(LAKE_KEY_CHANGES)('matches %s on the lake key, and on no other key', (eventName) => {
    expect(matched(kmsCall(eventName, RESOLVED.lakeKey))).toBe(true);
    expect(matched(kmsCall(eventName, OTHER_KEY))).toBe(false);
  });

  it('leaves its use, grants and repairs out', () => {
    for (const eventName of ['Decrypt', 'GenerateDataKey', 'CreateGrant', 'EnableKey', 'CancelKeyDeletion']) {
      expect(matched(kmsCall(eventName, RESOLVED.lakeKey))).toBe(false);
    }
  });

  it('publishes to the alarm topic as the other rules do, its undelivered messages to the failure queue', () => {
    const { template, ids } = keyedWatch;
    const targets = (id: string) => template.toJSON().Resources[id].Properties.Targets;
    expect(targets(keyRuleId)).toEqual(targets(ids.rule));
    const queuePolicy = Object.values(template.findResources('AWS::SQS::QueuePolicy'))[0];
    const statements = queuePolicy?.Properties.PolicyDocument.Statement as PolicyStatementJson[];
    const undelivered = statements.find((s) => s.Sid === 'LakeGuardChangesUndelivered');
    expect(JSON.stringify(undelivered?.Condition)).toContain(keyRuleId);
  });

  it('is not made without the setting: the other rules as they were', () => {
    expect(Object.keys(rulesOf(plainWatch))).toHaveLength(Object.keys(rulesOf(keyedWatch)).length - 1);
    expect(JSON.stringify(plainWatch.template.toJSON())).not.toContain('LakeKeyRule');
    const patternOf = ({ template }: ReturnType<typeof watchOnly>, id: string) =>
      template.toJSON().Resources[id].Properties.EventPattern;
    expect(patternOf(keyedWatch, keyedWatch.ids.moreRule)).toEqual(
      patternOf(plainWatch, plainWatch.ids.moreRule),
    );
  });
});
