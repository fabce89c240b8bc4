import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TopicSubscriptionSource } from '../core/report/topic-reach.ts';

/** SNS lists at most 100 subscriptions a page; a topic of the stack has a handful. */
const MAX_PAGES = 20;

/**
 * The whole listing's time, retries included: with the SDK's three attempts of up to 15 s each, a
 * page SNS never answers would hold the report for 45 s, a page after page for the function's
 * whole timeout, before any instance's report is made. Past it the check says it could not check.
 */
const LISTING_LIMIT_MS = 20_000;

const confirmed = (arn: string): boolean => arn.startsWith('arn:');

/** {@link TopicSubscriptionSource} over `sns:ListSubscriptionsByTopic`, every page. */
export class SnsTopicSubscriptions implements TopicSubscriptionSource {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly limitMs = LISTING_LIMIT_MS,
  ) {}

  async hasConfirmedSubscription(topicArn: string): Promise<boolean> {
    let listed = 0;
    const abortSignal = AbortSignal.timeout(this.limitMs);
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const command = new ListSubscriptionsByTopicCommand({
        TopicArn: topicArn,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      const result = await this.client.send(command, { abortSignal });
      const subscriptions = result.Subscriptions ?? [];
      // A confirmed one is all the check needs: stop rather than read a long list to its end.
      if (subscriptions.some((s) => s.SubscriptionArn !== undefined && confirmed(s.SubscriptionArn)))
        return true;
      listed += subscriptions.length;
      nextToken = result.NextToken;
      if (!nextToken) return false;
    }
    // Pages left unread may hold the confirmed one: answering "none" would say the topic reaches
    // nobody when it may not be so.
    throw new Error(
      `more than ${listed} subscriptions listed, none confirmed in the first ${MAX_PAGES} pages read`,
    );
  }
}
