/**
 * The functions' failure destination grants what Lambda needs of their roles to record a failed
 * asynchronous invocation (`sqs:SendMessage` on the queue) and nothing more of SQS: CDK's
 * SqsDestination also granted `GetQueueAttributes` and `GetQueueUrl`, which no code calls.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  EVERY_FEATURE,
  logicalIdOf,
  resourcesOf,
  sharedSynth,
  statementsOfRole,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const { template } = sharedSynth(EVERY_FEATURE);
const queueId = logicalIdOf(template, 'AWS::SQS::Queue', '/FailedInvocations/');

describe('the failure queue destination', () => {
  it.each([
    ['ingest', '/Ingest-acme/Ingest/Role/'],
    ['alerts', '/Alerts/Alerts-acme/Role/'],
    ['report', '/WeeklyReport/Report/Role/'],
  ])('lets the %s function only send to the failure queue', (_name, rolePath) => {
    const onQueue = statementsOfRole(template, rolePath).filter((s) =>
      resourcesOf(s).some((r) => JSON.stringify(r).includes(`"${queueId}"`)),
    );
    expect(onQueue.flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    expect(onQueue.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
  });

  it("is each function's on-failure destination", () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs.length).toBeGreaterThanOrEqual(3);
    for (const config of configs) {
      expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({
        'Fn::GetAtt': [queueId, 'Arn'],
      });
    }
  });
});
