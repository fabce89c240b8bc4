import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { DeliveryRefusedError } from '../../functions/core/alerts/alert-channel.ts';
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
});
