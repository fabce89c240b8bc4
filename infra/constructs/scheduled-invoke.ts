import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';

/**
 * A schedule's target that invokes `fn` by its plain ARN, its role allowed that ARN alone. CDK's
 * LambdaInvoke grants its versions and aliases too (`<arn>:*`), which the schedule never calls
 * and the stack never publishes: a role that may run any of them is wider than the one it needs.
 */
export class ScheduledInvoke extends targets.LambdaInvoke {
  constructor(
    private readonly invoked: lambda.IFunction,
    props: targets.ScheduleTargetBaseProps,
  ) {
    super(invoked, props);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.invoked.functionArn] }),
    );
  }
}
