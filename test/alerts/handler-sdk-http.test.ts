import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it, vi } from 'vitest';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';
import { silentEndpoints } from '../support/silent-endpoint.ts';
import { withTestCredentials } from '../support/test-credentials.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

// The alerts function's own S3 client bounds each attempt's wait: against an endpoint that never
// answers, the run fails with a timeout instead of hanging until the Lambda's own timeout.

withoutConfiguredEndpoints();
const silentEndpoint = silentEndpoints();

withTestCredentials();

describe('alerts handler network bounds', () => {
  it('fails a lake read that is never answered', async () => {
    const silent = await silentEndpoint();
    vi.stubEnv('AWS_ENDPOINT_URL', silent.endpoint);
    const handler = createAlertsHandler({
      env: acmeAlertsEnv(),
      snsClient: new SNSClient({ region: 'eu-west-1' }),
      sesClient: new SESv2Client({ region: 'eu-west-1' }),
      sdkHttp: { connectionMs: 200, idleMs: 50 },
    });
    const context = { getRemainingTimeInMillis: () => 240_000, awsRequestId: 'req-1' } as never;
    const started = Date.now();
    await expect(handler({}, context)).rejects.toThrow(/timed out after 50 ms of inactivity/);
    // The text proves the 50 ms bound applied; the time tells it from the default bounds (15 s a try,
    // three tries: 45 s and more) with room for a loaded CI machine (the ingest's twin took 10.9 s once).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(silent.connections()).toBeGreaterThanOrEqual(3);
  }, 40_000);
});
