import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { alertAt, INSTANCE, NOW } from '../core/alerts/support/delivery-fixtures.ts';

// The `alerts` attribute is cut at 50 like the mail's list; during an attack it must keep the
// newest, which tell whether the attack is still going on, though the outbox holds them oldest first.
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());

describe("SNS's alerts attribute with more alerts than it carries", () => {
  it('carries the newest 50, newest first, as the text lists them', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const bursts: Alert[] = Array.from({ length: 60 }, (_, i) =>
      alertAt(`b${i}`, NOW - 60_000 - (59 - i) * 20 * 60_000),
    );
    const message = renderAlertMessage(bursts, {
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
    expect(carried).toEqual(
      bursts
        .slice(10)
        .reverse()
        .map((a) => a.id),
    );
    expect(attributes?.alert_count?.StringValue).toBe('60');
  });
});
