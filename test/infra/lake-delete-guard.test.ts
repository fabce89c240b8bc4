import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { arnLike } from '../../infra/config/arn-like.ts';
import { LakeStorage, ONLY_NAMED_PRINCIPALS_DELETE } from '../../infra/constructs/lake-storage.ts';
import { exactSsoPattern, warnOfLooseSsoPatterns } from '../../infra/sso-pattern-warning.ts';
import { configWith, newTestApp, TEST_ENV } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string[];
  Resource: unknown;
  Condition?: unknown;
}

/** A bucket policy's delete guard (the lake's by default), or its statement `sid`, in the storage construct alone. */
function deleteGuard(
  retention: Record<string, unknown> = {},
  bucketOf: (storage: LakeStorage) => s3.IBucket = (storage) => storage.lakeBucket,
  sid = ONLY_NAMED_PRINCIPALS_DELETE,
): Statement | undefined {
  const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
  const storage = new LakeStorage(stack, 'Storage', {
    retention: configWith({ retention }).retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bucket = bucketOf(storage);
  const policy = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')).find(
    (candidate) =>
      candidate.Properties.Bucket.Ref === stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket),
  );
  const statements = policy?.Properties.PolicyDocument.Statement as Statement[];
  return statements.find((statement) => statement.Sid === sid);
}

const SSO_PATH = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/';

/** A principal pattern under the IAM Identity Center roles' path. */
function ssoPattern(rest: string): string {
  return `${SSO_PATH}${rest}`;
}

/** The ARN of a role Identity Center made for permission set `set`, under `path` (a region and `/`, or nothing). */
function ssoRole(path: string, set: string): string {
  return `${SSO_PATH}${path}AWSReservedSSO_${set}_0123456789abcdef`;
}

/** Synth's warnings for `pattern` named as a break-glass principal. */
function ssoWarnings(pattern: string): unknown[] {
  const stack = new Stack(newTestApp(), 'Warned', { env: TEST_ENV });
  warnOfLooseSsoPatterns(stack, configWith({ retention: { deleteAllowedPrincipals: [pattern] } }));
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((warning) => warning.entry.data);
}

describe('who may delete from the lake (retention.deleteAllowedPrincipals)', () => {
  // A DeleteObject without a version id needs no governance bypass: it hides an object behind a
  // delete marker, and the noncurrent-version lifecycle rule later purges what it hid.
  it('denies every principal the delete actions by default', () => {
    const guard = deleteGuard();
    expect(guard).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:ReplicateDelete'],
    });
    expect(guard?.Condition).toBeUndefined();
  });

  it('exempts exactly the principals the operator names', () => {
    const named = [
      'arn:aws:iam::123456789012:role/LakeBreakGlass',
      // IAM: aws:PrincipalArn holds an AWS STS federated user session's ARN as this.
      'arn:aws:sts::123456789012:federated-user/bob',
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_????????????????',
    ];
    expect(deleteGuard({ deleteAllowedPrincipals: named })?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': named },
    });
  });

  // Review R-SECOND9 H2: Identity Center puts a permission set's role under
  // sso.amazonaws.com/<region>/ or directly under sso.amazonaws.com/; the documented `*/` form
  // missed the second kind, and a break-glass role so named could not delete in an incident.
  it('exempts an SSO role with and without the region part of its path, as IAM’s ArnLike would', () => {
    const documented = ssoPattern('*AWSReservedSSO_Admin_????????????????');
    const withRegion = ssoRole('eu-west-1/', 'Admin');
    const withoutRegion = ssoRole('', 'Admin');
    const exempt = deleteGuard({ deleteAllowedPrincipals: [documented] })?.Condition as {
      ArnNotLike: { 'aws:PrincipalArn': string[] };
    };
    const patterns = exempt.ArnNotLike['aws:PrincipalArn'];
    for (const arn of [withRegion, withoutRegion])
      expect(
        patterns.some((pattern) => arnLike(pattern, arn)),
        arn,
      ).toBe(true);
    expect(patterns.some((pattern) => arnLike(pattern, ssoRole('', 'Other')))).toBe(false);
    // The form the docs gave before misses the role without a region part; synth warns of it.
    const needsRegion = ssoPattern('*/AWSReservedSSO_Admin_????????????????');
    expect(arnLike(needsRegion, withRegion)).toBe(true);
    expect(arnLike(needsRegion, withoutRegion)).toBe(false);
    expect(ssoWarnings(needsRegion)).toEqual([
      expect.stringContaining(
        `retention.deleteAllowedPrincipals: "${needsRegion}" matches only IAM Identity Center roles with a region part in their path (sso.amazonaws.com/<region>/); roles directly under sso.amazonaws.com/ stay denied. Write "${documented}"`,
      ),
    ]);
    expect(ssoWarnings(documented)).toEqual([]);
  });

  // AWS review 2026-12-06: `AWSReservedSSO_Admin_*` also matched the roles of a set named
  // `Admin_ReadOnly`, which so gained the admin set's exemptions. A role's name ends in a
  // 16-character suffix, and ArnLike's `?` matches exactly one character.
  it('matches only the named set’s SSO roles with the exact pattern, and warns of the open one', () => {
    const open = ssoPattern('*AWSReservedSSO_Admin_*');
    const exact = ssoPattern('*AWSReservedSSO_Admin_????????????????');
    for (const path of ['', 'eu-west-1/']) {
      expect(arnLike(open, ssoRole(path, 'Admin_ReadOnly')), path).toBe(true);
      expect(arnLike(exact, ssoRole(path, 'Admin_ReadOnly')), path).toBe(false);
      expect(arnLike(exact, ssoRole(path, 'Admin')), path).toBe(true);
    }
    expect(arnLike(exact, ssoRole('', 'Admin').slice(0, -1))).toBe(false);
    expect(arnLike(exact, `${ssoRole('', 'Admin')}0`)).toBe(false);
    expect(exactSsoPattern(open)).toBe(exact);
    expect(ssoWarnings(open)).toEqual([
      expect.stringContaining(
        `retention.deleteAllowedPrincipals: "${open}" matches as well the IAM Identity Center roles of every permission set whose name starts with "Admin_" (e.g. "Admin_ReadOnly"), which then pass as this one. Write "${exact}"`,
      ),
    ]);
    // Both loose at once: two warnings, each naming the one exact pattern.
    const both = ssoPattern('*/AWSReservedSSO_Admin_*');
    expect(exactSsoPattern(both)).toBe(exact);
    const warned = ssoWarnings(both);
    expect(warned).toHaveLength(2);
    for (const warning of warned) expect(warning).toContain(`Write "${exact}"`);
    // A pattern naming no set, or a role by its full name, is left alone.
    expect(ssoWarnings(ssoPattern('*AWSReservedSSO_*'))).toEqual([]);
    expect(ssoWarnings(ssoRole('', 'Admin'))).toEqual([]);
  });

  // The access log is the record of who deleted from the lake: a role allowed s3:DeleteObject on
  // `*`, or a named principal covering its own deletes, could otherwise erase it unseen.
  it('guards the access-log bucket alike, with the same named principals', () => {
    const accessLogs = (storage: LakeStorage) => storage.accessLogsBucket;
    expect(deleteGuard({}, accessLogs)).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
    expect(deleteGuard({}, accessLogs)?.Condition).toBeUndefined();
    const named = ['arn:aws:iam::123456789012:role/LakeBreakGlass'];
    expect(deleteGuard({ deleteAllowedPrincipals: named }, accessLogs)?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': named },
    });
  });

  // The log is not versioned: an overwrite would leave nothing of it (review R-STACK3 F1).
  it('lets only S3’s log delivery write the access log', () => {
    expect(deleteGuard({}, (storage) => storage.accessLogsBucket, 'OnlyLogDeliveryWrites')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Condition: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  it.each([
    [
      'arn:aws:sts::123456789012:assumed-role/Admin/jane',
      /deleteAllowedPrincipals\[0\]: "arn:aws:sts::123456789012:assumed-role\/Admin\/jane" is a role session, which aws:PrincipalArn never holds: name its role, e.g. "arn:aws:iam::123456789012:role\/Admin"/,
    ],
    ['*', /deleteAllowedPrincipals\[0\]: "\*" is not an IAM principal ARN: name the break-glass role/],
    ['arn:aws:iam::*:role/Admin', /is not an IAM principal ARN/],
    [
      'arn:aws:iam::123456789012:role/*',
      /"arn:aws:iam::123456789012:role\/\*" matches every role of the account/,
    ],
    ['arn:aws:iam::123456789012:user/*/*', /matches every user of the account/],
    ['arn:aws:sts::123456789012:federated-user/?*', /matches every federated user of the account/],
  ])('refuses %s: it names no caller, or nearly every one', (value, message) => {
    expect(() => configWith({ retention: { deleteAllowedPrincipals: [value] } })).toThrow(message);
  });
});

describe('the access log outlives the versions it records the deletion of', () => {
  // Both were 365 days: the record of who placed the delete markers expired about when the
  // lifecycle purged the versions they hid.
  it.each([
    [{ noncurrentVersionDays: 400, accessLogDays: 400 }, 400, 430],
    [{ lockDays: 500, accessLogDays: 365 }, 500, 530],
  ])('refuses %j', (retention, kept, advised) => {
    expect(() => configWith({ retention })).toThrow(
      `activityLake.retention.accessLogDays: must be more than the days replaced and deleted versions are kept (retention.noncurrentVersionDays, or lockDays when it is left out: ${kept}): the access log is the record of who deleted or replaced a version, and would expire with that evidence or before it. Set it to ${advised} or more, or leave it out`,
    );
  });

  it('keeps it 30 days longer than the versions when left out, and the template says so', () => {
    expect(configWith({ retention: { lockDays: 400 } }).retention.accessLogDays).toBe(430);
    expect(configWith({ retention: { noncurrentVersionDays: 800 } }).retention.accessLogDays).toBe(830);
    const stack = new Stack(newTestApp(), 'StorageOnly', { env: TEST_ENV });
    // The shipped cdk.json spells out noncurrentVersionDays 365 and accessLogDays 395.
    new LakeStorage(stack, 'Storage', {
      retention: configWith().retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 395, Status: 'Enabled' }],
      },
    });
    expect(configWith().retention.noncurrentVersionDays).toBe(365);
  });
});
