import type { ServerResponse } from 'node:http';
import { onTestFinished, vi } from 'vitest';

/**
 * Makes the SDK retry a throttle at once, for the running test: it waits Math.random() times 1 s
 * first (0.5 s on average, up to 1 s of a test's time), and the retry, not its wait, is what the
 * tests check. Restored when the test ends (the workers share modules and globals).
 */
export function retryThrottlesAtOnce(): void {
  const random = vi.spyOn(Math, 'random').mockReturnValue(0);
  onTestFinished(() => random.mockRestore());
}

/** SNS's answer to a throttled query call (ListSubscriptionsByTopic is throttled account-wide). */
export function throttled(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'text/xml' });
  res.end(
    '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
  );
}

/** SNS's ListSubscriptionsByTopic answer listing one confirmed subscription of `topicArn`. */
export const oneConfirmed =
  (topicArn: string) =>
  (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult><Subscriptions><member><TopicArn>${topicArn}</TopicArn><Protocol>email</Protocol><SubscriptionArn>${topicArn}:abc</SubscriptionArn><Owner>123456789012</Owner><Endpoint>ops@example.com</Endpoint></member></Subscriptions></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>`,
    );
  };
