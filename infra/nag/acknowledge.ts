import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Renders a resolved CloudFormation value the way cdk-nag names it in a finding id
 * (`{"Fn::GetAtt":["Bucket1234","Arn"]}` → `<Bucket1234.Arn>`), so acknowledgements can be
 * computed from the ARN that was granted instead of hard-coding logical ids that change on rename.
 */
export function findingText(value: unknown): string {
  if (typeof value === 'string') return value.replaceAll('${', '<').replaceAll('}', '>');
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(findingText).join(delimiter);
    }
    if ('Fn::Sub' in node) return findingText(node['Fn::Sub']);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${findingText(getAtt[0])}.${findingText(getAtt[1])}>`;
    if ('Fn::ImportValue' in node) return findingText(node['Fn::ImportValue']);
    if ('Ref' in node) return `<${findingText(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each wildcard resource ARN granted to
 * `principal` (a role or policy construct), with the reason an auditor reads.
 */
export function acknowledgeWildcardResources(
  principal: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(principal);
  for (const resource of resources) {
    const text = findingText(stack.resolve(resource));
    Validations.of(principal).acknowledge({ id: `AwsSolutions-IAM5[Resource::${text}]`, reason });
  }
}
