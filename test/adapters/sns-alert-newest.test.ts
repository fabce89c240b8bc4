import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { alertAt, NOW } from '../core/alerts/support/delivery-fixtures.ts';
import { publishOverSns } from './support/sns-alert-publish.ts';

// The `alerts` attribute is cut at 50 like the mail's list; during an attack it must keep the
// newest, which tell whether the attack is still going on, though the outbox holds them oldest first.
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());

describe("SNS's alerts attribute with more alerts than it carries", () => {
  it('carries the newest 50, newest first, as the text lists them', async () => {
    const bursts: Alert[] = Array.from({ length: 60 }, (_, i) =>
      alertAt(`b${i}`, NOW - 60_000 - (59 - i) * 20 * 60_000),
    );
    const { attributes, carried } = await publishOverSns(sns, bursts);
    expect(carried).toEqual(
      bursts
        .slice(10)
        .reverse()
        .map((a) => a.id),
    );
    expect(attributes?.alert_count?.StringValue).toBe('60');
  });
});
