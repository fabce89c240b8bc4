import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_ENV } from '../../functions/ingest/config.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import {
  DIGEST_KEY_TAG,
  DigestSigningKey,
  ONLY_NAMED_PRINCIPALS_SIGN,
  SIGN_ONLY_THIS_KEY,
} from '../../infra/constructs/digest-signing-key.ts';
import { ONLY_NAMED_PRINCIPALS_ADMINISTER } from '../../infra/constructs/only-named-administer.ts';
import {
  actionsOf,
  cfnText,
  EVERY_FEATURE,
  logicalIdOf,
  newTestApp,
  type PolicyStatementJson,
  sharedSynth,
  statementsOfRoleId,
  synthStack,
  TEST_ENV,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/** The smallest stack that shows the grant: the key and one role allowed to sign with it. */
function signingOnly(handSigners: string[] = []) {
  const stack = new Stack(newTestApp(), 'Signing', { env: TEST_ENV });
  const signing = new DigestSigningKey(stack, 'DigestSigning', handSigners);
  const role = new iam.Role(stack, 'IngestRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  signing.allowSign(role);
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(signing.key.node.defaultChild as never);
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  return { stack, template, keyId, roleId };
}

const statementsAbout = (template: Template, roleId: string): PolicyStatementJson[] =>
  statementsOfRoleId(template, roleId);

const ROOT = 'arn:aws:iam::123456789012:root';

/** The key-policy Deny of every key administration but the named principals'. */
const administerDenyFor = (principals: string[]) => ({
  Sid: ONLY_NAMED_PRINCIPALS_ADMINISTER,
  Action: ['kms:DisableKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'],
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Resource: '*',
  Condition: { ArnNotLike: { 'aws:PrincipalArn': principals } },
});

describe('digest signing key', () => {
  it('is an ECC_NIST_P256 SIGN_VERIFY key, kept 30 days after a deletion request', () => {
    const { template, keyId } = signingOnly();
    const key = template.toJSON().Resources[keyId];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties).toMatchObject({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      PendingWindowInDays: 30,
    });
    expect(key.Properties.EnableKeyRotation).toBeUndefined();
    expect(key.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  // A role holding kms:* on * (PowerUserAccess) could otherwise sign a rewritten chain: the default
  // root statement hands the key to IAM, and a Deny in the key policy is what beats it.
  it('denies signing to all but the ingest role in the key policy, root included', () => {
    const { template, keyId, roleId } = signingOnly();
    const keyStatements = template.toJSON().Resources[keyId].Properties.KeyPolicy
      .Statement as PolicyStatementJson[];
    expect(keyStatements.filter((s) => actionsOf(s).includes('kms:Sign'))).toEqual([
      {
        Sid: ONLY_NAMED_PRINCIPALS_SIGN,
        Action: 'kms:Sign',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [roleId, 'Arn'] }] } },
      },
    ]);
    // The account keeps administering the key (and IAM its reads: GetPublicKey for verify), and
    // this statement is also what lets the role's own allow count: the key policy allows no role.
    expect(keyStatements).toContainEqual(
      expect.objectContaining({ Action: 'kms:*', Effect: 'Allow', Principal: { AWS: ROOT } }),
    );
  });

  // KMS refuses a key policy naming a principal IAM has not made visible yet (a fresh deploy
  // creates the roles just before the key); an ARN in a condition is a string it never looks up.
  it('names no role as a principal of the key policy', () => {
    const { template, keyId } = signingOnly(['arn:aws:iam::123456789012:role/LakeOperator']);
    const principals = (
      template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as PolicyStatementJson[]
    ).map((s) => s.Principal);
    expect(new Set(principals.map((p) => JSON.stringify(p)))).toEqual(
      new Set([JSON.stringify({ AWS: ROOT }), JSON.stringify({ AWS: '*' })]),
    );
  });

  // The key names the role (its Deny), so CloudFormation updates the role first: had the allow moved
  // from the role to the key, a run between the two updates (or a rollback's) could not sign.
  it('lets the role sign SHA-256 digests by its own policy, which names no key: no cycle, no gap', () => {
    const { template, keyId, roleId } = signingOnly();
    expect(
      // What it is allowed: the managed policy's Deny of other keys is below.
      statementsAbout(template, roleId).filter(
        (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('kms:')),
      ),
    ).toEqual([
      {
        Action: 'kms:Sign',
        Effect: 'Allow',
        Resource: 'arn:aws:kms:eu-west-1:123456789012:key/*',
        Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } },
      },
    ]);
    const resources = template.toJSON().Resources;
    expect(JSON.stringify(resources[roleId])).not.toContain(keyId);
    expect(JSON.stringify(resources[keyId])).toContain(roleId);
  });

  // Review R-SECOND6 L2: the key's Deny orders the key after the role, not after a separate
  // AWS::IAM::Policy holding the allow; an upgrade moving the allow from the key policy to that
  // policy could update the key first, and a run in between would be refused Sign.
  it('changes only after the policy that lets the role sign', () => {
    const { template, keyId } = signingOnly();
    const resources = template.toJSON().Resources;
    const [policyId] = Object.entries(resources).find(
      ([, r]) =>
        (r as { Type: string }).Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('kms:Sign'),
    ) ?? [''];
    expect(policyId).not.toBe('');
    expect(resources[keyId].DependsOn).toContain(policyId);
  });

  it('leaves signing to IAM for the named hand signers, and denies it to all with no signer', () => {
    const operator = 'arn:aws:iam::123456789012:role/LakeOperator';
    const stack = new Stack(newTestApp(), 'NoSigner', { env: TEST_ENV });
    const bare = new DigestSigningKey(stack, 'DigestSigning');
    const bareKey =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(bare.key.node.defaultChild as never)];
    const bareDeny = (bareKey.Properties.KeyPolicy.Statement as PolicyStatementJson[]).find(
      (s) => s.Sid === ONLY_NAMED_PRINCIPALS_SIGN,
    );
    expect(bareDeny).toMatchObject({ Effect: 'Deny', Action: 'kms:Sign', Principal: { AWS: '*' } });
    expect(bareDeny?.Condition).toBeUndefined();
    const { template, keyId, roleId } = signingOnly([operator]);
    const deny = (
      template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as PolicyStatementJson[]
    ).find((s) => s.Sid === ONLY_NAMED_PRINCIPALS_SIGN);
    expect(deny?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [roleId, 'Arn'] }, operator] },
    });
  });

  // The root statement hands the key to IAM, so a role allowed kms:* on * (PowerUserAccess) could
  // rewrite the policy, drop the Deny of kms:Sign and sign a forged chain; or disable the key, or
  // schedule its public key's deletion. Only the deploy role, the break-glass principals and the
  // root user (so that the key never becomes unmanageable) may now.
  it('denies rewriting, disabling or deleting the key to all but its administrators and the root user', () => {
    const breakGlass = 'arn:aws:iam::123456789012:role/LakeBreakGlass';
    const deployer = 'arn:aws:iam::123456789012:role/Pipeline';
    const denyOf = (administrators?: string[]) => {
      const stack = new Stack(newTestApp(), 'Administered', { env: TEST_ENV });
      const signing = new DigestSigningKey(stack, 'DigestSigning', [], administrators);
      const key =
        Template.fromStack(stack).toJSON().Resources[
          stack.getLogicalId(signing.key.node.defaultChild as never)
        ];
      const statements = key.Properties.KeyPolicy.Statement as PolicyStatementJson[];
      return statements.filter((s) => actionsOf(s).includes('kms:PutKeyPolicy') && s.Effect === 'Deny');
    };
    expect(denyOf([deployer, breakGlass])).toEqual([administerDenyFor([ROOT, deployer, breakGlass])]);
    // Left out: the CDK bootstrap's execution role, whatever its qualifier, as for the lake bucket.
    expect(denyOf()[0]?.Condition).toEqual({
      ArnNotLike: {
        'aws:PrincipalArn': [
          ROOT,
          'arn:aws:iam::123456789012:role/cdk-*-cfn-exec-role-123456789012-eu-west-1',
        ],
      },
    });
  });

  // Review SECARCH: the alarm and alerts topics' keys too, each silencing its topic once disabled
  // or given another policy; the alarm topic is where LakeGuardChanged would tell of it.
  it('in the stack: leaves every key to retention.deployPrincipals, deleteAllowedPrincipals and root', () => {
    const deployer = 'arn:aws:iam::123456789012:role/Pipeline';
    const breakGlass = 'arn:aws:iam::123456789012:role/LakeBreakGlass';
    const operator = 'arn:aws:iam::123456789012:role/LakeOperator';
    const { template } = synthStack({
      ...EVERY_FEATURE,
      retention: {
        deployPrincipals: [deployer],
        deleteAllowedPrincipals: [breakGlass],
        writeAllowedPrincipals: [operator],
      },
    });
    const keys = Object.entries(template.findResources('AWS::KMS::Key'));
    expect(keys.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AlertsTopicKey',
      'DigestSigningKey',
      'MonitoringAlarmsKey',
    ]);
    for (const [, key] of keys) {
      const statements = key.Properties.KeyPolicy.Statement as PolicyStatementJson[];
      // A named writer signs by hand; it does not administer a key.
      expect(statements.find((s) => s.Sid === ONLY_NAMED_PRINCIPALS_ADMINISTER)).toEqual(
        administerDenyFor([ROOT, deployer, breakGlass]),
      );
    }
  });

  it("passes cdk-nag AwsSolutions, the role's key/* acknowledged with its reason", () => {
    const { stack } = signingOnly();
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  // Review GUARD: a kept key of another region was refused, one of another account taken, and
  // every ingest run then failed to sign (its grant is on its own account's keys).
  it('refuses a kept key of another account than the stack’s, naming both and the way on', () => {
    const keyIn = (account: string) =>
      `arn:aws:kms:${TEST_ENV.region}:${account}:key/${'1'.repeat(8)}-1111-1111-1111-${'1'.repeat(12)}`;
    const adopt = (keyArn: string, env: { account?: string; region?: string } = TEST_ENV) =>
      new DigestSigningKey(
        new Stack(newTestApp(), 'Signing', { env }),
        'DigestSigning',
        [],
        undefined,
        keyArn,
      );
    const refusal = `adoptLake.digestKeyArn: the key is in account 210987654321, but the stack deploys to account ${TEST_ENV.account}`;
    expect(() => adopt(keyIn('210987654321'))).toThrow(ConfigError);
    expect(() => adopt(keyIn('210987654321'))).toThrow(refusal);
    expect(() => adopt(keyIn('210987654321'))).toThrow('Deploy to the account that kept the lake');
    expect(() => adopt(keyIn(TEST_ENV.account))).not.toThrow();
    // A stack that names no account is checked at deploy, where the grant's account is its own.
    expect(() => adopt(keyIn('210987654321'), { region: TEST_ENV.region })).not.toThrow();
  });

  it('outlives the stack even when retention.removalPolicy is "destroy": the lake may, and needs it', () => {
    const { template } = sharedSynth({ retention: { removalPolicy: 'destroy' } });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/');
    const key = template.toJSON().Resources[keyId];
    expect([key.DeletionPolicy, key.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
  });

  it('in the stack: every ingest signs with it, and the outputs say how to fetch its public key', () => {
    const OPERATOR = 'arn:aws:iam::123456789012:role/LakeOperator';
    const { template } = synthStack({
      ...EVERY_FEATURE,
      instances: [{ name: 'acme' }, { name: 'beta', secret: 'domo/beta' }],
      retention: { writeAllowedPrincipals: [OPERATOR] },
    });
    const signers: unknown[] = [];
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/');
    for (const name of ['acme', 'beta']) {
      const fnId = logicalIdOf(template, 'AWS::Lambda::Function', `/Ingest-${name}/Ingest/Function/`);
      const env = template.toJSON().Resources[fnId].Properties.Environment.Variables;
      expect(env[INGEST_ENV.digestKeyId]).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', `/Ingest-${name}/Ingest/Role/`);
      const kmsActions = statementsAbout(template, roleId)
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kms:'));
      expect(kmsActions).toEqual(['kms:Sign']);
      signers.push({ 'Fn::GetAtt': [roleId, 'Arn'] });
    }
    // Only the ingest roles: the alerts and the report read the lake, they sign nothing.
    const keyStatements = template.toJSON().Resources[keyId].Properties.KeyPolicy
      .Statement as PolicyStatementJson[];
    expect(keyStatements.find((s) => s.Sid === ONLY_NAMED_PRINCIPALS_SIGN)?.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': [...signers, OPERATOR] },
    });
    const outputs = template.toJSON().Outputs;
    expect(outputs.DigestSigningKeyArn.Value).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(cfnText(outputs.DigestPublicKeyCommand.Value)).toBe(
      `aws kms get-public-key --region eu-west-1 --key-id {${keyId}.Arn} --query PublicKey --output text > digest-public-key.b64`,
    );
  });
});

// Review R-SECOND9 M2: the roles' allow on `key/*` made a compromised ingest an ES256 signer with
// any other P-256 key of the account and region whose policy delegates to IAM.
describe('the ingest roles sign with the stack’s digest key only', () => {
  it('denies the roles Sign with every key but the digest key, named by its ARN', () => {
    const { template, keyId, roleId } = signingOnly();
    const resources = template.toJSON().Resources;
    const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(1);
    const [[policyId, policy]] = policies as [
      [string, { Properties: Record<string, unknown>; DependsOn?: string[] }],
    ];
    expect(policy.Properties.Roles).toEqual([{ Ref: roleId }]);
    // No tag condition (f2f88024 had one): whoever may kms:TagResource another P-256 key could
    // give it the tag and make it signable by a compromised ingest, and KMS honours a new tag only
    // within minutes. The key's own ARN depends on nothing anyone can change.
    expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toEqual([
      {
        Sid: SIGN_ONLY_THIS_KEY,
        Effect: 'Deny',
        Action: 'kms:Sign',
        NotResource: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    ]);
    // After the key (it names the key): the Deny lands once the key exists, and goes first on a rollback.
    expect(JSON.stringify(resources[keyId].DependsOn ?? [])).not.toContain(policyId);
    // The tag stays, a name for the key: it grants nothing.
    expect(resources[keyId].Properties.Tags).toEqual(
      expect.arrayContaining([{ Key: DIGEST_KEY_TAG, Value: 'Signing' }]),
    );
  });

  it('serves every ingest role of the stack with one policy', () => {
    const { template } = synthStack({ ...EVERY_FEATURE, instances: [{ name: 'acme' }, { name: 'beta' }] });
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes(SIGN_ONLY_THIS_KEY),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties.Roles).toHaveLength(2);
  });
});
