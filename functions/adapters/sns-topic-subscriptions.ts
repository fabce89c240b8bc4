import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { TopicSubscriptionSource } from '../core/report/topic-reach.ts';

/** SNS lists at most 100 subscriptions a page; a topic of the stack has a handful. */
const MAX_PAGES = 20;

const confirmed = (arn: string): boolean => arn.startsWith('arn:');

/**
 * An SNS client for the listing, with the SDK's default retries: unlike Publish (see
 * `createSnsClient`, one attempt), ListSubscriptionsByTopic is read-only, and it is throttled
 * account-wide (30 calls a second), so one throttle would otherwise put "could not check" in every
 * instance's mail. The same bounded request time as Publish's.
 */
export const createSnsListingClient = (requestTimeoutMs = 10_000): SNSClient =>
  new SNSClient({
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });

/** {@link TopicSubscriptionSource} over `sns:ListSubscriptionsByTopic`, every page. */
export class SnsTopicSubscriptions implements TopicSubscriptionSource {
  constructor(private readonly client: SNSClient) {}

  async subscriptionArns(topicArn: string): Promise<readonly string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.client.send(
        new ListSubscriptionsByTopicCommand({
          TopicArn: topicArn,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
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
