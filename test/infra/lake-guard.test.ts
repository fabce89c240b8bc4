import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { lastRunKey } from '../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  INGEST_FORBIDDEN_ACTIONS,
  instanceLakePrefixes,
  LakeStorage,
} from '../../infra/constructs/lake-storage.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';
import {
  actionsOf,
  configWith,
  logicalIdOf,
  newTestApp,
  type PolicyStatementJson,
  sharedSynth,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The smallest stack that shows the guard: lake storage and one role it guards. */
function guardedLake(retention: Record<string, unknown> = {}) {
  const stack = new Stack(newTestApp(), 'Guard', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(stack, 'IngestRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  storage.guardIngestWriter('acme', role);
  const template = Template.fromStack(stack);
  const lakeId = stack.getLogicalId(storage.lakeBucket.node.defaultChild as never);
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  const statements = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as (PolicyStatementJson & { Sid?: string })[],
  );
  return { template, lakeId, roleId, statements };
}

const objectArnPattern = (lakeId: string, pattern: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [lakeId, 'Arn'] }, `/${pattern}`]],
});

describe('lake bucket: history nobody can rewrite unseen', () => {
  it('locks every object version in governance mode for retention.lockDays (default 365)', () => {
    const { template, lakeId } = guardedLake();
    const lake = template.toJSON().Resources[lakeId].Properties;
    expect(lake.ObjectLockEnabled).toBe(true);
    expect(lake.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
    });
    expect(lake.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('keeps replaced versions at least as long as the lock (default: exactly lockDays)', () => {
    const rulesOf = (retention: Record<string, unknown>) => {
      const { template, lakeId } = guardedLake(retention);
      return template.toJSON().Resources[lakeId].Properties.LifecycleConfiguration.Rules;
    };
    expect(rulesOf({ lockDays: 400 })[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 400 });
    expect(rulesOf({ lockDays: 400, noncurrentVersionDays: 800 })[0].NoncurrentVersionExpiration).toEqual({
      NoncurrentDays: 800,
    });
    expect(() => configWith({ retention: { lockDays: 400, noncurrentVersionDays: 30 } })).toThrow(
      /retention\.noncurrentVersionDays: must be at least retention\.lockDays \(400\)/,
    );
  });

  it('denies the ingest role any put without If-Match or If-None-Match under its table, state and digest prefixes', () => {
    const { statements, lakeId, roleId } = guardedLake();
    const deny = statements.find((s) => s.Sid === 'RequireConditionalWrites');
    expect(deny).toEqual({
      Sid: 'RequireConditionalWrites',
      Effect: 'Deny',
      Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      Action: 's3:PutObject',
      // The families of its prefixes: the other instances' are denied too, where it is granted nothing.
      Resource: expect.arrayContaining(
        ['activity_log', 'coverage', 'quarantine', 'state', 'digest'].map((root) =>
          objectArnPattern(lakeId, `${root}/instance=*`),
        ),
      ),
      Condition: {
        Null: { 's3:if-none-match': 'true', 's3:if-match': 'true' },
        Bool: { 's3:ObjectCreationOperation': 'true' },
      },
    });
    expect(deny?.Resource).toHaveLength(5);
    expect(instanceLakePrefixes('acme')).toEqual([
      'activity_log/instance=acme/',
      'coverage/instance=acme/',
      'quarantine/instance=acme/',
      'state/instance=acme/',
      'digest/instance=acme/',
    ]);
  });

  it('denies the ingest role any put into its digest chain but a create (If-None-Match), so no digest is replaced', () => {
    const { statements, lakeId, roleId } = guardedLake();
    expect(statements.find((s) => s.Sid === 'DigestsCreateOnly')).toEqual({
      Sid: 'DigestsCreateOnly',
      Effect: 'Deny',
      Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      Action: 's3:PutObject',
      Resource: objectArnPattern(lakeId, 'digest/instance=*'),
      Condition: {
        Null: { 's3:if-none-match': 'true' },
        Bool: { 's3:ObjectCreationOperation': 'true' },
      },
    });
  });

  it('denies the ingest role every way to remove a version or shorten its retention', () => {
    const { statements, lakeId, roleId } = guardedLake();
    const deny = statements.find((s) => s.Sid === 'NeverRewriteHistory');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      Resource: [
        { 'Fn::GetAtt': [lakeId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [lakeId, 'Arn'] }, '/*']] },
      ],
    });
    expect(actionsOf(deny as PolicyStatementJson).sort()).toEqual([...INGEST_FORBIDDEN_ACTIONS].sort());
    expect([...INGEST_FORBIDDEN_ACTIONS].sort()).toEqual(
      [
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:PutObjectRetention',
        's3:PutObjectLegalHold',
        's3:BypassGovernanceRetention',
        's3:PutBucketObjectLockConfiguration',
        's3:PutBucketVersioning',
        's3:PutLifecycleConfiguration',
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:DeleteBucket',
        's3:PutBucketLogging',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketAcl',
        's3:PutObjectAcl',
        's3:PutObjectVersionAcl',
        's3:PutEncryptionConfiguration',
        's3:PutReplicationConfiguration',
      ].sort(),
    );
  });

  it('in the whole stack, guards every instance and grants no role a way to delete or unlock', () => {
    const { template } = sharedSynth({ instances: [{ name: 'acme' }, { name: 'beta' }] });
    const roleArn = (name: string) => ({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::IAM::Role', `/Ingest-${name}/Ingest/Role/`), 'Arn'],
    });
    const everyIngest = { AWS: Match.arrayEquals([roleArn('acme'), roleArn('beta')]) };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'RequireConditionalWrites', Principal: everyIngest }),
          Match.objectLike({ Sid: 'DigestsCreateOnly', Principal: everyIngest }),
          Match.objectLike({ Sid: 'NeverRewriteHistory' }),
        ]),
      },
    });
    const granted = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[])
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf),
    );
    for (const action of granted) {
      expect(INGEST_FORBIDDEN_ACTIONS as readonly string[]).not.toContain(action);
      expect(action).not.toMatch(/^s3:(\*|Delete|PutObjectRetention|Bypass)/);
    }
  });
});

describe('the writer under that policy', () => {
  it('makes only conditional puts, all under the guarded prefixes (none would be refused)', async () => {
    // What an entry point writes: the runs, and after each scheduled run its note for `status`.
    const day0 = Date.parse('2026-10-01T00:00:00Z');
    const source = new MemoryAuditSource(
      Array.from({ length: 30 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)).concat([
        { timeMs: day0 + 1, entry: 'garbage' },
      ]),
    );
    const store = new MemoryObjectStore();
    const now = day0 + 12 * HOUR_MS;
    const deps = quietIngestDeps(source, store, now);
    for (const lookbackHours of [2, 6]) {
      const config = { ...defaultIngestConfig('acme'), backfillDays: 1, lookbackHours };
      await recordLastRun(store, await runIngest(deps, config), now);
    }
    expect(store.puts.length).toBeGreaterThan(20);
    expect(store.puts.filter(({ key }) => key === lastRunKey('acme'))).toHaveLength(2);
    const guarded = instanceLakePrefixes('acme');
    for (const { key, options } of store.puts) {
      expect(
        guarded.some((prefix) => key.startsWith(prefix)),
        key,
      ).toBe(true);
      expect(options.ifMatch !== undefined || options.ifNoneMatch === '*', key).toBe(true);
      if (key.startsWith('digest/')) expect(options.ifNoneMatch, key).toBe('*');
    }
  });
});
