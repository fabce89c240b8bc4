import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INSTANCES } from '../../infra/config/config-fields.ts';
import { LakeStorage } from '../../infra/constructs/lake-storage.ts';
import { BUCKET_POLICY_MAX_BYTES, deployedPolicyBytes } from '../../infra/constructs/policy-size.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/**
 * The smallest stack that holds the lake bucket policy of `instances` instances with every writer
 * the full stack has: an ingest and an alerts function per instance, and the weekly report.
 */
function lakeOf(instances: number, retention: Record<string, string[]> = {}, kmsKeyArn?: string) {
  const stack = new Stack(newTestApp(), 'DomoActivityLakeProduction', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
  });
  const role = (id: string) =>
    new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  for (let i = 0; i < instances; i++) {
    const name = `instance-${String(i).padStart(3, '0')}`;
    storage.guardIngestWriter(name, role(`Ingest-${name}`));
    storage.guardLakeWriter(role(`Alerts-${name}`));
  }
  storage.guardLakeWriter(role('Report'));
  const policy = storage.lakeBucket.policy;
  if (!policy) throw new Error('the lake bucket has no policy');
  return { stack, bytes: () => deployedPolicyBytes(stack, policy.document) };
}

describe('lake bucket policy size (S3 refuses one over 20 KB at deploy)', () => {
  it(`stays under 20 KB, with role and bucket ARNs at full length, at ${MAX_INSTANCES} instances`, () => {
    const { stack, bytes } = lakeOf(MAX_INSTANCES);
    expect(() => Template.fromStack(stack)).not.toThrow();
    expect(bytes()).toBeLessThanOrEqual(BUCKET_POLICY_MAX_BYTES);
  });

  it(`stays under 20 KB at ${MAX_INSTANCES} instances with a customer key's Deny too (lakeEncryption)`, () => {
    const key = `arn:aws:kms:${TEST_ENV.region}:123456789012:key/mrk-0123456789abcdef0123456789abcdef`;
    const without = lakeOf(MAX_INSTANCES).bytes();
    const { stack, bytes } = lakeOf(MAX_INSTANCES, {}, key);
    expect(() => Template.fromStack(stack)).not.toThrow();
    // One statement more (OnlyLakeKeyPuts), naming the key: no ARN per writer.
    expect(bytes()).toBeGreaterThan(without);
    expect(bytes() - without).toBeLessThan(400);
    expect(bytes()).toBeLessThanOrEqual(BUCKET_POLICY_MAX_BYTES);
  });

  it('renders each role ARN as deployed (a 64-character role name), not as its short token', () => {
    const one = lakeOf(1).bytes();
    const two = lakeOf(2).bytes();
    // A second instance adds its ingest role to three statements and its alerts role to one,
    // each "arn:aws:iam::<12 digits>:role/<64 characters>" (95 bytes).
    expect(two - one).toBeGreaterThanOrEqual(4 * 95);
  });

  it('fails synth, saying what to do, when the policy would be over 20 KB', () => {
    const { stack, bytes } = lakeOf(80);
    expect(bytes()).toBeGreaterThan(BUCKET_POLICY_MAX_BYTES);
    expect(() => Template.fromStack(stack)).toThrow(
      /lake bucket policy would be about \d+ KB once deployed \(it names each of the 161 roles that write to the lake, and the 0 principals retention\.deleteAllowedPrincipals, writeAllowedPrincipals and readAllowedPrincipals name\), over the 20 KB S3 accepts: the deploy would fail\. Deploy fewer instances per stack: split "instances" between stacks, each with its own "stackName"\.$/,
    );
  });

  // review-stack2 F9: the delete guard's list fills the policy too, and fewer instances would not
  // be the fix then.
  it.each([
    ['deleteAllowedPrincipals', 'break-glass/LakeBreakGlassRoleForIncident'],
    // The read guard names the readers in the lake's policy too (review R-SECURITY M2).
    ['readAllowedPrincipals', 'analysts/LakeAnalystRoleOfTheSecurityTeam'],
  ])('names the named principals, and fewer of them as a fix, when %s fills the policy', (key, role) => {
    const named = Array.from({ length: 250 }, (_, i) => `arn:aws:iam::123456789012:role/${role}${i}`);
    const { stack, bytes } = lakeOf(1, { [key]: named });
    expect(bytes()).toBeGreaterThan(BUCKET_POLICY_MAX_BYTES);
    expect(() => Template.fromStack(stack)).toThrow(
      /\(it names each of the 3 roles that write to the lake, and the 250 principals retention\.deleteAllowedPrincipals, writeAllowedPrincipals and readAllowedPrincipals name\).* Or name fewer principals in retention\.deleteAllowedPrincipals, writeAllowedPrincipals and readAllowedPrincipals \(one pattern with "\*" can cover several\)\./,
    );
  });
});
