import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { causeChain } from '../../functions/core/cause-chain.ts';
import { reportEnvironment } from '../../functions/report/config.ts';
import { createReportHandler } from '../../functions/report/handler.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { silentEndpoints } from '../support/silent-endpoint.ts';
import { withTestCredentials } from '../support/test-credentials.ts';

// The report function's own S3 and Athena clients bound each attempt's wait: against endpoints
// that never answer, the run fails with a timeout instead of hanging until the Lambda's timeout.

withoutConfiguredEndpoints();
const silentEndpoint = silentEndpoints();

withTestCredentials();

const env = reportEnvironment({
  stack: 'DomoActivityLake',
  instances: ['acme'],
  bucket: 'lake-bucket',
  prefix: 'lake',
  workGroup: 'domo-activity-lake',
  database: 'domo_activity_lake',
  timeZone: 'UTC',
  sender: 'reports@example.com',
  recipients: ['security@example.com'],
  alertsEnabled: false,
});

describe('report handler network bounds', () => {
  it('fails the week of an instance whose lake and Athena never answer, within the bounds', async () => {
    const silent = await silentEndpoint();
    vi.stubEnv('AWS_ENDPOINT_URL', silent.endpoint);
    const handler = createReportHandler({
      env,
      snsClient: new SNSClient({ region: 'eu-west-1' }),
      sesClient: new SESv2Client({ region: 'eu-west-1' }),
      sdkHttp: { connectionMs: 200, idleMs: 50 },
    });
    const context = { awsRequestId: 'req-1', functionName: 'report' } as unknown as Context;
    const started = Date.now();
    const outcome = await handler({}, context).then(
      (result) => JSON.stringify(result),
      (error: unknown) => [...causeChain(error)].map(String).join(' <- '),
    );
    expect(outcome).toMatch(/timed out after 50 ms of inactivity/);
    // The text proves the 50 ms bound applied; the time tells it from the default bounds (15 s a try,
    // three tries: 45 s and more) with room for a loaded CI machine (1.6 s here with 8 jobs on 2 cores).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(silent.connections()).toBeGreaterThanOrEqual(3);
  }, 40_000);
});
