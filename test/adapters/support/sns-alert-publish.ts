import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { SnsAlertChannel } from '../../../functions/adapters/sns-alert-channel.ts';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { INSTANCE, NOW } from '../../core/alerts/support/delivery-fixtures.ts';

/**
 * Renders `alerts` as the alerts function does and delivers them on an SNS channel whose client
 * `sns` mocks; the first Publish's message attributes and the ids its `alerts` attribute carries.
 */
export async function publishOverSns(sns: AwsClientStub<SNSClient>, alerts: readonly Alert[]) {
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  const message = renderAlertMessage(alerts, {
    instance: INSTANCE,
    timeZone: 'UTC',
    nowMs: NOW,
    mailOlderThanHours: 24,
  });
  await new SnsAlertChannel(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:1:t').deliver(
    message,
  );
  const attributes = sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes;
  const carried = (JSON.parse(attributes?.alerts?.StringValue ?? '[]') as { id: string }[]).map((a) => a.id);
  return { attributes, carried };
}
