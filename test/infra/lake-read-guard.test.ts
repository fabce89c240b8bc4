import { readFileSync } from 'node:fs';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LakeStorage,
  NAMED_READ_ACTIONS,
  ONLY_NAMED_PRINCIPALS_READ,
} from '../../infra/constructs/lake-storage.ts';
import {
  actionsOf,
  configWith,
  EVERY_FEATURE,
  newTestApp,
  type PolicyStatementJson,
  resourcesOf,
  sharedSynth,
  statementsOfRoleId,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

type Pick = (storage: LakeStorage) => s3.IBucket;
const lake: Pick = (storage) => storage.lakeBucket;
const results: Pick = (storage) => storage.resultsBucket;

/** The read guard of `bucket`'s policy in the storage construct alone, after guarding a writer and an Athena caller. */
function readGuard(
  retention: Record<string, unknown>,
  bucket: Pick,
  guard: { writers?: number; athenaCallers?: number } = {},
): PolicyStatementJson | undefined {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = (id: string) =>
    new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  for (let i = 0; i < (guard.writers ?? 0); i++) storage.guardLakeWriter(role(`Writer${i}`));
  for (let i = 0; i < (guard.athenaCallers ?? 0); i++) storage.guardAthenaCaller(role(`Caller${i}`));
  return bucketReadGuard(
    Template.fromStack(stack),
    stack.getLogicalId(bucket(storage).node.defaultChild as s3.CfnBucket),
  );
}

/** The read guard of the bucket policy of the bucket `bucketId`. */
function bucketReadGuard(template: Template, bucketId: string): PolicyStatementJson | undefined {
  const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
    (candidate) => candidate.Properties.Bucket.Ref === bucketId,
  );
  const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as PolicyStatementJson[];
  return statements.find((statement) => statement.Sid === ONLY_NAMED_PRINCIPALS_READ);
}

const exempted = (guard: PolicyStatementJson | undefined) =>
  guard?.Condition?.ArnNotLike?.['aws:PrincipalArn'];

const ANALYST = 'arn:aws:iam::123456789012:role/LakeAnalyst';
const OPERATOR = 'arn:aws:iam::123456789012:role/LakeOperator';
const BREAK_GLASS = 'arn:aws:iam::123456789012:role/LakeBreakGlass';

describe('who may read the lake and the Athena results (review R-SECURITY M2)', () => {
  // Any role allowed s3:GetObject on `*` (ReadOnlyAccess) read every login of every instance.
  it.each([
    ['lake', lake],
    ['Athena results', results],
  ])('denies every principal reads of the %s when no reader is guarded and none named', (_, bucket) => {
    const guard = readGuard({}, bucket);
    expect(guard).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: NAMED_READ_ACTIONS });
    expect(NAMED_READ_ACTIONS).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion']));
    // Review R-SECOND9 M1: S3 replication reads with actions of its own, past a guard without them.
    expect(guard?.Action).toEqual(
      expect.arrayContaining([
        's3:GetObjectVersionForReplication',
        's3:GetObjectRetention',
        's3:GetObjectLegalHold',
      ]),
    );
    expect(guard?.Condition).toBeUndefined();
  });

  it('exempts the lake writers and every named principal from the lake’s guard, not the Athena callers', () => {
    const guard = readGuard(
      {
        readAllowedPrincipals: [ANALYST],
        writeAllowedPrincipals: [OPERATOR],
        deleteAllowedPrincipals: [BREAK_GLASS],
      },
      lake,
      { writers: 2, athenaCallers: 1 },
    );
    expect(exempted(guard)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Writer0/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^Writer1/), 'Arn'] },
      ANALYST,
      OPERATOR,
      BREAK_GLASS,
    ]);
  });

  it('exempts the Athena callers and every named principal from the results’ guard, not the writers', () => {
    const guard = readGuard({ readAllowedPrincipals: [ANALYST] }, results, { writers: 2, athenaCallers: 1 });
    expect(exempted(guard)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Caller0/), 'Arn'] }, ANALYST]);
  });

  it.each([
    [
      'arn:aws:iam::123456789012:role/*',
      /readAllowedPrincipals\[0\]: .* matches every role of the account, which would let nearly anyone read the lake and the Athena results: name the role the analysts query Athena with/,
    ],
    [
      '*',
      /readAllowedPrincipals\[0\]: "\*" is not an IAM principal ARN: name the role the analysts query Athena with/,
    ],
  ])('refuses %s as a reader, saying what the list is for', (value, message) => {
    expect(() => configWith({ retention: { readAllowedPrincipals: [value] } })).toThrow(message);
  });

  // The write list's messages said "delete" and "the break-glass role", the delete list's words.
  it('says what the write list is for in its own messages', () => {
    const refusal = () =>
      configWith({ retention: { writeAllowedPrincipals: ['arn:aws:iam::123456789012:role/*'] } });
    expect(refusal).toThrow(
      /writeAllowedPrincipals\[0\]: .* would let nearly anyone write to the lake by hand: name the operators' role/,
    );
    expect(refusal).not.toThrow(/delete|break-glass/);
  });

  // The guard must not lock out a role of the stack: every role granted s3:GetObject on either bucket.
  it.each([
    ['lake', lake],
    ['Athena results', results],
  ])('exempts every role of the stack that may get %s objects, and only those', (_, bucket) => {
    const { stack, template } = sharedSynth(EVERY_FEATURE);
    const bucketId = stack.getLogicalId(bucket(stack.storage).node.defaultChild as s3.CfnBucket);
    const reads = (s: PolicyStatementJson) =>
      s.Effect === 'Allow' &&
      actionsOf(s).some(
        (action) => action === 's3:GetObject' || action === 's3:GetObject*' || action === 's3:*',
      ) &&
      JSON.stringify(resourcesOf(s)).includes(`"${bucketId}"`);
    const readers = Object.keys(template.findResources('AWS::IAM::Role')).filter((roleId) =>
      statementsOfRoleId(template, roleId).some(reads),
    );
    expect(readers.length).toBeGreaterThanOrEqual(1);
    const exempt = exempted(bucketReadGuard(template, bucketId));
    expect(exempt).toEqual(
      expect.arrayContaining(readers.map((roleId) => ({ 'Fn::GetAtt': [roleId, 'Arn'] }))),
    );
    expect(exempt).toHaveLength(readers.length);
  });
});

// Review R-SECOND6 L1: the privacy notice still listed account-wide S3 readers, and holders of
// s3:GetObjectVersion, among the lake's readers after the read guard had shut them out.
describe("the privacy notice's readers", () => {
  const privacy = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
  const rowOf = (store: string): string =>
    privacy.split('\n').find((line) => line.startsWith(`| ${store}`)) ?? `no row "${store}"`;

  it.each([
    'Lake hours',
    'Alert archive',
    'Weekly reports',
    'Digest chain',
    'Replaced and deleted versions',
    'Athena query results bucket',
  ])('%s: only the stack and the named principals', (store) => {
    const readers = rowOf(store).split(' | ').at(-1) ?? '';
    expect(readers).toContain('named principals');
    expect(readers).not.toMatch(/account-wide|holders of `s3:GetObjectVersion`|the workgroup's users/);
  });

  it('says the bucket policies, not IAM, decide who reads, and that the access logs are unguarded', () => {
    expect(privacy).toContain('`OnlyNamedPrincipalsRead`');
    expect(privacy).not.toContain('restricts writes and deletes,\nnot reads');
    expect(rowOf('Access logs bucket')).toContain('account-wide S3 readers');
  });
});
