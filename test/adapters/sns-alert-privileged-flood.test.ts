import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { floodAlerts, ROLE_RAISE } from '../core/alerts/support/privileged-flood.ts';
import { publishOverSns } from './support/sns-alert-publish.ts';

// The `alerts` attribute carries the rows the text lists: among 500 routine privileged changes,
// the role raise and the change done as another user too, the gravest first (2026-12-06).
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

describe("SNS's alerts attribute in a flood of routine privileged changes", () => {
  it('carries the role raise and the change done as another user first', async () => {
    const alerts = floodAlerts();
    const raise = alerts.find((a) => a.evidence.includes(ROLE_RAISE));
    const asAnother = alerts.find((a) => a.actor_id !== undefined);
    const { carried } = await publishOverSns(sns, alerts);
    expect(carried.slice(0, 2)).toEqual([asAnother?.id, raise?.id]);
  });
});
