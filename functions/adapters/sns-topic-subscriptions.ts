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

  async subscriptionArns(topicArn: string): Promise<readonly string[]> {
    const arns: string[] = [];
    const abortSignal = AbortSignal.timeout(this.limitMs);
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const command = new ListSubscriptionsByTopicCommand({
        TopicArn: topicArn,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      const result = await this.client.send(command, { abortSignal });
      for (const subscription of result.Subscriptions ?? [])
        if (subscription.SubscriptionArn) arns.push(subscription.SubscriptionArn);
      nextToken = result.NextToken;
      // A confirmed one is all the check needs: stop rather than read a long list to its end.
      if (!nextToken || arns.some(confirmed)) break;
    }
    // Pages left unread may hold the confirmed one: returning only pending ones would say the
    // topic reaches nobody when it may not be so.
    if (nextToken && !arns.some(confirmed))
      throw new Error(
        `more than ${arns.length} subscriptions listed, none confirmed in the first ${MAX_PAGES} pages read`,
      );
    return arns;
  }
}
