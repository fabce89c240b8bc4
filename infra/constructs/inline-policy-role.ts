import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role whose statements (its own and every grant's) go into one policy inside the role, not into
 * the separate `AWS::IAM::Policy` CDK adds to a role: one CloudFormation resource per role less,
 * where the stack may hold 500. IAM limits both kinds alike (10,240 characters per role).
 */
export class InlinePolicyRole extends iam.Role {
  private readonly permissions: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const permissions = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, Permissions: permissions } });
    this.permissions = permissions;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}
