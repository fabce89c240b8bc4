import type { ServerResponse } from 'node:http';

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
