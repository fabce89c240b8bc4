import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { alertAt, INSTANCE, NOW } from '../core/alerts/support/delivery-fixtures.ts';

// One alert too big for the attribute (newest first, so it comes first) must not push out the
// others that fit: a subscriber reading the attribute would get none at all.
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());

describe("SNS's alerts attribute with one alert too big for it", () => {
  it('skips that one and carries the rest, newest first, saying how many', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const huge = { ...alertAt('huge', NOW - 60_000), evidence: 'x'.repeat(300_000) };
    const others = [2, 3, 4].map((m) => alertAt(`o${m}`, NOW - m * 60_000));
    const message = renderAlertMessage([...others, huge], {
      instance: INSTANCE,
      timeZone: 'UTC',
      nowMs: NOW,
      mailOlderThanHours: 24,
    });
    await new SnsAlertChannel(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:1:t').deliver(
      message,
    );
    const attributes = sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes;
    const carried = (JSON.parse(attributes?.alerts?.StringValue ?? '[]') as { id: string }[]).map(
      (a) => a.id,
    );
    expect(carried).toEqual(others.map((a) => a.id));
    expect(attributes?.alerts_in_attribute?.StringValue).toBe('3');
    expect(attributes?.alert_count?.StringValue).toBe('4');
  });
});
