import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clearCache } from '@middy/util';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PLACEHOLDER_SECRET } from '../../functions/core/domo/domo-secret.ts';
import { ingestEnvironment } from '../../functions/ingest/config.ts';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { HANDLER_METRICS, instanceDimensions, METRIC_NAMESPACE } from '../../functions/shared/telemetry.ts';
import { captureFlushedMetrics } from '../support/emf-capture.ts';
import { freshHandlerMetrics } from '../support/fresh-handler-metrics.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';

// Two stacks of one account and region, each with the default instance `main`, must publish
// different metrics: otherwise one stack's successful runs keep the other's NoSuccessfulRun quiet.

const secrets = mockClient(SecretsManagerClient);
const context = { awsRequestId: 'request', getRemainingTimeInMillis: () => 600_000 } as unknown as Context;

afterEach(() => clearCache());
afterAll(() => secrets.restore());

/** What one invocation of stack `stack`'s ingest of `main` flushes, its secret still the placeholder. */
async function flushedBy(stack: string) {
  const secretId = `${stack}/domo/main`;
  secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({
    SecretString: JSON.stringify(PLACEHOLDER_SECRET),
  });
  // Each stack's function runs in a process of its own.
  freshHandlerMetrics();
  const handler = createIngestHandler({
    env: ingestEnvironment({ ...SAMPLE_INGEST_HANDLER_CONFIG, stack, instance: 'main', secretId }),
  });
  const capture = captureFlushedMetrics();
  try {
    await handler({}, context);
  } finally {
    capture.restore();
  }
  return capture.points;
}

describe('ingest metrics carry the stack', () => {
  // Every metric of a run is flushed together with the same dimensions: the placeholder's skip
  // is the cheapest run that publishes one.
  it('publishes with exactly the dimensions the alarms of its own stack watch', async () => {
    const [lakeA, lakeB] = [await flushedBy('LakeA'), await flushedBy('LakeB')];
    expect(lakeA).toEqual([
      {
        namespace: METRIC_NAMESPACE,
        name: HANDLER_METRICS.secretPlaceholder,
        value: 1,
        dimensions: instanceDimensions('LakeA', 'main'),
      },
    ]);
    expect(lakeB.map((point) => point.dimensions)).toEqual([instanceDimensions('LakeB', 'main')]);
  });
});
