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
    const arns = await new SnsTopicSubscriptions(client).subscriptionArns(TOPIC);
    expect(arns).toEqual(['PendingConfirmation', `${TOPIC}:abc`]);
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(2);
  });
});

describe('SNS topic subscriptions past the page cap', () => {
  it('says it could not check rather than "nobody" when pages are left unread', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: Array.from({ length: 100 }, () => ({ SubscriptionArn: 'PendingConfirmation' })),
      NextToken: 'more',
    });
    const source = new SnsTopicSubscriptions(client);
    await expect(source.subscriptionArns(TOPIC)).rejects.toThrow(
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
    const arns = await new SnsTopicSubscriptions(client).subscriptionArns(TOPIC);
    expect(arns).toHaveLength(20);
    expect(arns.at(-1)).toBe(`${TOPIC}:abc`);
  });
});
