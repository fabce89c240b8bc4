import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

// One stack runs several customers' instances (an MSP's, review R-MSP): an alarm of a failed run
// must say whose run it was, and the one on the shared failure queue how to tell.

const { template } = synthStack({
  instances: [{ name: 'acme', domoCustomer: 'acme-corp' }, { name: 'beta' }],
  alarms: { email: 'ops@acme-co.com' },
});
const descriptionOf = (name: string): string => {
  const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
    (resource) => resource.Properties.AlarmName === name,
  );
  return String(alarm?.Properties.AlarmDescription);
};

describe('the alarms of a failed ingest run', () => {
  it("name the instance's Domo customer, when configured, in IngestErrors' description", () => {
    // The instance is the alarm's name, not repeated in its description (alarm-runbooks.test.ts).
    expect(descriptionOf('Test-acme-IngestErrors')).toMatch(
      /^The ingest of Domo customer "acme-corp" failed: the function failed /,
    );
    expect(descriptionOf('Test-beta-IngestErrors')).toMatch(/^The ingest failed: the function failed /);
  });

  it('say that the failure queue is shared, and where its messages name the instance and customer', () => {
    const description = descriptionOf('Test-FailedInvocations');
    expect(description).toContain(
      "One queue for every instance: each message names its instance (requestPayload.instance, or the schedule's input), a failed ingest run's errorMessage its Domo customer too",
    );
    expect(description).toContain(
      'docs/operations.md "FailedInvocations: a failure landed in the failure queue"',
    );
  });
});
