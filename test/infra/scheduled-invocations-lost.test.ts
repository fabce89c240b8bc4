import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERY_FEATURE, logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

type Resources = Record<string, { Properties: Record<string, unknown>; DependsOn?: string[] }>;

// review-stack F7: an invocation Scheduler gave up on and could not put in the failure queue
// either reached neither the function nor FailedInvocations, and nothing alarmed.
describe('scheduled invocations lost', () => {
  const { template } = sharedSynth(EVERY_FEATURE);

  it('puts every schedule of the stack in a group of its own, named after the stack', () => {
    const groupId = logicalIdOf(template, 'AWS::Scheduler::ScheduleGroup', '/Schedules/');
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Test' });
    // Scheduler deletes a group's schedules with it: only the stack's own are in it, gone anyway.
    template.hasResource('AWS::Scheduler::ScheduleGroup', { DeletionPolicy: 'Delete' });
    const schedules = Object.values(
      template.findResources('AWS::Scheduler::Schedule'),
    ) as Resources[string][];
    // The ingest of acme, the weekly report and its corrections run.
    expect(schedules).toHaveLength(3);
    for (const schedule of schedules) {
      expect(schedule.Properties.GroupName).toBe('Test');
      // A new construct id, so a stack deployed before the group replaces its schedules: keeping
      // the old id updated GroupName in place, which CloudFormation fails (the schedule is looked
      // up in the new group, NotFound; aws/aws-cdk#34216).
      const path = String((schedule as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path']);
      // (CorrectionSchedule was created in the group.)
      expect(path).toMatch(/\/(GroupSchedule|CorrectionSchedule)\/Resource$/);
      // CDK names a named group literally, no Ref: only DependsOn makes CloudFormation create the
      // group before its schedules (and delete them before it).
      expect(schedule.DependsOn).toContain(groupId);
    }
  });

  it("alarms to the alarm topic on the group's invocations that failed to reach the failure queue", () => {
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', '/Monitoring/Alarms/') };
    const alarms = template.findResources('AWS::CloudWatch::Alarm') as Resources;
    const [id, alarm] =
      Object.entries(alarms).find(([, r]) => r.Properties.AlarmName === 'Test-ScheduledInvocationsLost') ??
      [];
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'AWS/Scheduler',
      MetricName: 'InvocationsFailedToBeSentToDeadLetterCount',
      // Without it, the metric is the whole account's: every other schedule of the region.
      Dimensions: [{ Name: 'ScheduleGroup', Value: 'Test' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    // Shown with the others on the dashboard's alarm widget.
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    expect(JSON.stringify(dashboard?.Properties.DashboardBody)).toContain(`"${id}","Arn"`);
  });
});
