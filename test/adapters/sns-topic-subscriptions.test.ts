import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsTopicSubscriptions } from '../../functions/adapters/sns-topic-subscriptions.ts';
import { checkTopicReach, topicReachNotices } from '../../functions/core/report/topic-reach.ts';

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
    expect(await new SnsTopicSubscriptions(client).hasConfirmedSubscription(TOPIC)).toBe(true);
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(2);
  });
});

describe('SNS topic subscriptions, only pending ones', () => {
  it('answers no once the last page is read', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolves({ Subscriptions: [{ SubscriptionArn: 'PendingConfirmation' }] });
    expect(await new SnsTopicSubscriptions(client).hasConfirmedSubscription(TOPIC)).toBe(false);
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(1);
  });
});

describe('SNS topic subscriptions past the page cap', () => {
  it('says it could not check rather than "nobody" when pages are left unread', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: Array.from({ length: 100 }, () => ({ SubscriptionArn: 'PendingConfirmation' })),
      NextToken: 'more',
    });
    const source = new SnsTopicSubscriptions(client);
    await expect(source.hasConfirmedSubscription(TOPIC)).rejects.toThrow(
      'more than 2000 subscriptions listed, none confirmed in the first 20 pages read',
    );
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(20);
    const reaches = await checkTopicReach(source, [
      { carries: 'alarms', topicArn: TOPIC, output: 'AlarmTopicArn' },
    ]);
    expect(topicReachNotices(reaches)).toEqual([
      expect.stringMatching(
        /^Could not check whether alarms reach anyone: .*more than 2000 subscriptions listed/,
      ),
    ]);
  });

  it('answers with what it read when the last page read holds a confirmed one', async () => {
    let page = 0;
    sns.on(ListSubscriptionsByTopicCommand).callsFake(() => {
      page++;
      return {
        Subscriptions: [{ SubscriptionArn: page === 20 ? `${TOPIC}:abc` : 'PendingConfirmation' }],
        NextToken: 'more',
      };
    });
    expect(await new SnsTopicSubscriptions(client).hasConfirmedSubscription(TOPIC)).toBe(true);
    expect(page).toBe(20);
  });
});
