import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { INGEST_ENV } from '../../functions/ingest/config.ts';
import { DigestSigningKey } from '../../infra/constructs/digest-signing-key.ts';
import {
  actionsOf,
  cfnText,
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
function signingOnly() {
  const stack = new Stack(newTestApp(), 'Signing', { env: TEST_ENV });
  const signing = new DigestSigningKey(stack, 'DigestSigning');
  const role = new iam.Role(stack, 'IngestRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  signing.grantSign(role);
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(signing.key.node.defaultChild as never);
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  return { stack, template, keyId, roleId };
}

const statementsAbout = (template: Template, roleId: string): PolicyStatementJson[] =>
  statementsOfRoleId(template, roleId);

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

  it('lets the ingest role sign SHA-256 digests with it and do nothing else with any key', () => {
    const { template, keyId, roleId } = signingOnly();
    expect(statementsAbout(template, roleId)).toEqual([
      {
        Action: 'kms:Sign',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } },
      },
    ]);
    // The key policy names no role: only the account (IAM decides), as CDK's default key policy does.
    const keyStatements = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as {
      Principal: unknown;
    }[];
    expect(JSON.stringify(keyStatements.map((s) => s.Principal))).not.toContain(roleId);
  });

  it('passes cdk-nag AwsSolutions with no acknowledgement', () => {
    const { stack } = signingOnly();
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('outlives the stack even when retention.removalPolicy is "destroy": the lake may, and needs it', () => {
    const { template } = sharedSynth({ retention: { removalPolicy: 'destroy' } });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/');
    const key = template.toJSON().Resources[keyId];
    expect([key.DeletionPolicy, key.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
  });

  it('in the stack: every ingest signs with it, and the outputs say how to fetch its public key', () => {
    const { template } = synthStack({ instances: [{ name: 'acme' }, { name: 'beta', secret: 'domo/beta' }] });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', '/DigestSigning/');
    for (const name of ['acme', 'beta']) {
      const fnId = logicalIdOf(template, 'AWS::Lambda::Function', `/Ingest-${name}/Ingest/Function/`);
      const env = template.toJSON().Resources[fnId].Properties.Environment.Variables;
      expect(env[INGEST_ENV.digestKeyId]).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      const roleId = logicalIdOf(template, 'AWS::IAM::Role', `/Ingest-${name}/Ingest/Role/`);
      const kmsActions = statementsAbout(template, roleId)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kms:'));
      expect(kmsActions).toEqual(['kms:Sign']);
    }
    const outputs = template.toJSON().Outputs;
    expect(outputs.DigestSigningKeyArn.Value).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(cfnText(outputs.DigestPublicKeyCommand.Value)).toBe(
      `aws kms get-public-key --region eu-west-1 --key-id {${keyId}.Arn} --query PublicKey --output text > digest-public-key.b64`,
    );
  });
});
