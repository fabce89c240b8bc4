import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { alertAt, NOW } from '../core/alerts/support/delivery-fixtures.ts';
import { publishOverSns } from './support/sns-alert-publish.ts';

// One alert too big for the attribute (newest first, so it comes first) must not push out the
// others that fit: a subscriber reading the attribute would get none at all.
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());

describe("SNS's alerts attribute with one alert too big for it", () => {
  it('skips that one and carries the rest, newest first, saying how many', async () => {
    const huge = { ...alertAt('huge', NOW - 60_000), evidence: 'x'.repeat(300_000) };
    const others = [2, 3, 4].map((m) => alertAt(`o${m}`, NOW - m * 60_000));
    const { attributes, carried } = await publishOverSns(sns, [...others, huge]);
    expect(carried).toEqual(others.map((a) => a.id));
    expect(attributes?.alerts_in_attribute?.StringValue).toBe('3');
    expect(attributes?.alert_count?.StringValue).toBe('4');
  });
});
