import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { DeliveryRefusedError } from '../../functions/core/alerts/alert-channel.ts';
import { renderAlertMessage } from '../../functions/core/alerts/render-alerts.ts';
import { alertAt } from '../core/alerts/support/delivery-fixtures.ts';
import { oneAlertMessage } from './support/alert-message.ts';

// DeliveryRefusedError means "nothing was published", which the alerts core retries; an answer that
// leaves it unknown (a 5xx) must not be taken for it, or a retry could publish the alerts twice.
const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());
afterAll(() => sns.restore());

const channel = new SnsAlertChannel(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:1:alerts');
const message = oneAlertMessage;
const snsError = (name: string, fault: 'client' | 'server', status: number) =>
  new SNSServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: name });

describe('SnsAlertChannel failures', () => {
  it('reports a client error of SNS as a refused delivery', async () => {
    sns.on(PublishCommand).rejects(snsError('AuthorizationErrorException', 'client', 403));
    await expect(channel.deliver(message)).rejects.toBeInstanceOf(DeliveryRefusedError);
  });

  it('rethrows a server error as it is: the message may have been published', async () => {
    sns.on(PublishCommand).rejects(snsError('InternalErrorException', 'server', 500));
    const error = await channel.deliver(message).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DeliveryRefusedError);
    expect(error).toBeInstanceOf(SNSServiceException);
  });

  // Review R-ALFIX L9: the late line of the next message shows the gist of this refusal: SNS's
  // error and message, not the channel's lead-in nor the role's ARN with the account id.
  it("is shown in a late message as SNS's error, without the lead-in or the account id", async () => {
    sns.on(PublishCommand).rejects(
      new SNSServiceException({
        name: 'AuthorizationError',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message:
          'User: arn:aws:sts::123456789012:assumed-role/acme-alerts/fn is not authorized to perform: SNS:Publish on resource: arn:aws:sns:eu-west-1:123456789012:alerts',
      }),
    );
    const error = await channel.deliver(message).catch((e: unknown) => e);
    if (!(error instanceof DeliveryRefusedError)) throw new Error('not refused');
    const alert = alertAt('late', Date.parse('2026-11-18T12:00:00Z'));
    const text = renderAlertMessage([alert], {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs: alert.event_time_ms + 3 * 3_600_000,
      mailOlderThanHours: 24,
      channelRefused: { refusals: 1, lastError: error.message, oldestMs: alert.event_time_ms },
    }).text.replace(/\s+/g, ' ');
    expect(text).toContain('(the last: AuthorizationError: User: (an ARN) is not authorized to perform');
    expect(text).not.toContain('123456789012');
  });
});
