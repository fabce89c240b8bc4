import { CfnResource, type IResolvable, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** S3 refuses a bucket policy over 20 KB (at deploy, not at synth). */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

/**
 * What the tokens of a policy render as once deployed, at their longest realistic length: the
 * template shows `Fn::GetAtt` and `Ref` in a few characters where S3 will count a whole ARN.
 * CloudFormation names a role or bucket after the stack, cut at 64 and 63 characters.
 */
const ACCOUNT = '111111111111';
const REGION = 'ap-southeast-2';
const PSEUDO: Record<string, string> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Region': REGION,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'x'.repeat(128),
};
const NAME_OF: Record<string, string> = {
  'AWS::IAM::Role': 'x'.repeat(64),
  'AWS::S3::Bucket': 'x'.repeat(63),
};
const ARN_OF: Record<string, string> = {
  'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${'x'.repeat(64)}`,
  'AWS::S3::Bucket': `arn:aws:s3:::${'x'.repeat(63)}`,
};
/** Any other attribute: as long as an ARN with a long name in it. */
const OTHER = `arn:aws:service:${REGION}:${ACCOUNT}:${'x'.repeat(128)}`;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function render(value: Json, types: ReadonlyMap<string, string>): Json {
  if (Array.isArray(value)) return value.map((item) => render(item, types));
  if (value === null || typeof value !== 'object') return value;
  const ref = value.Ref;
  if (typeof ref === 'string') return PSEUDO[ref] ?? NAME_OF[types.get(ref) ?? ''] ?? OTHER;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return ARN_OF[types.get(String(getAtt[0])) ?? ''] ?? OTHER;
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [delimiter, parts] = join as [string, Json[]];
    return parts.map((part) => String(render(part, types))).join(delimiter);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, render(item, types)]));
}

/**
 * The size in bytes `policy` (a policy document of `scope`'s stack) will have once deployed, with
 * every token rendered at its longest realistic length.
 */
export function deployedPolicyBytes(scope: IConstruct, policy: IResolvable | object): number {
  return Buffer.byteLength(JSON.stringify(deployedJson(scope, policy)), 'utf8');
}

/**
 * `value` (a property of `scope`'s stack) as it will read once deployed, every token rendered at
 * its longest realistic length: a bucket name 63 characters, a role's 64, the stack's name 128,
 * any other reference or attribute as long as an ARN with a 128-character name.
 */
export function deployedJson(scope: IConstruct, value: IResolvable | object): Json {
  const stack = Stack.of(scope);
  const types = new Map<string, string>();
  for (const node of stack.node.findAll()) {
    if (CfnResource.isCfnResource(node)) types.set(stack.resolve(node.logicalId), node.cfnResourceType);
  }
  return render(stack.resolve(value) as Json, types);
}
