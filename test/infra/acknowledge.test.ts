import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgeWildcardResources, findingText } from '../../infra/nag/acknowledge.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

describe('findingText', () => {
  it('flattens intrinsics the way cdk-nag names resources in findings', () => {
    expect(findingText({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket12', 'Arn'] }, '/a/*']] })).toBe(
      '<Bucket12.Arn>/a/*',
    );
    expect(findingText({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 's3']] })).toBe(
      'arn:<AWS::Partition>:s3',
    );
    expect(findingText({ 'Fn::Sub': 'arn:${AWS::Partition}:logs' })).toBe('arn:<AWS::Partition>:logs');
    expect(findingText('plain')).toBe('plain');
  });
});

describe('acknowledgeWildcardResources', () => {
  const findingsOf = (acknowledge: boolean) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const resource = bucket.arnForObjects('only/this/prefix/*');
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [resource] }));
    if (acknowledge) acknowledgeWildcardResources(role, [resource], 'scoped to one prefix');
    const report = new AwsSolutionsChecks().validateScope(stack);
    return report.violations.map((v) => v.ruleName).filter((name) => name.startsWith('AwsSolutions-IAM5'));
  };

  it('acknowledges exactly the finding cdk-nag raises for the granted ARN', () => {
    expect(findingsOf(false)).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<B[0-9A-F]{8}\.Arn>\/only\/this\/prefix\/\*\]$/),
    ]);
    expect(findingsOf(true)).toEqual([]);
  });

  it('records the reason for auditors', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    acknowledgeWildcardResources(role, ['arn:aws:s3:::b/p/*'], 'why it is fine');
    const entries = role.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(entries)).toContain('AwsSolutions-IAM5[Resource::arn:aws:s3:::b/p/*]');
    expect(JSON.stringify(entries)).toContain('why it is fine');
  });
});
