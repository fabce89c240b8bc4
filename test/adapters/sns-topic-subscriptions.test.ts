import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsTopicSubscriptions } from '../../functions/adapters/sns-topic-subscriptions.ts';

const client = new SNSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const sns = mockClient(client);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';

afterEach(() => sns.reset());

describe('SNS topic subscriptions', () => {
  it('reads the next page while only pending ones were listed, and stops at a confirmed one', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: undefined })
      .resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation' }], NextToken: 'page-2' })
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: 'page-2' })
      .resolves({ Subscriptions: [{ SubscriptionArn: `${TOPIC}:abc` }], NextToken: 'page-3' });
    const arns = await new SnsTopicSubscriptions(client).subscriptionArns(TOPIC);
    expect(arns).toEqual(['PendingConfirmation', `${TOPIC}:abc`]);
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(2);
  });
});
