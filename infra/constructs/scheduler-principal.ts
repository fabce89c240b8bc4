import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';

/**
 * EventBridge Scheduler as the principal that may assume a schedule's role, only for the
 * schedules of `group` in this account (review R-SECURITY L2, confused deputy): with the account
 * alone, any schedule of the account, of another tool or person, could run as the role and invoke
 * the stack's function. Scheduler sets `aws:SourceArn` to the schedule's group (its User Guide,
 * "Confused deputy prevention", refuses a schedule's own ARN there), and the group holds only the
 * stack's schedules.
 */
export function schedulerPrincipal(group: scheduler.IScheduleGroup): iam.ServicePrincipal {
  return new iam.ServicePrincipal('scheduler.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': Stack.of(group).account },
      ArnEquals: { 'aws:SourceArn': group.scheduleGroupArn },
    },
  });
}
