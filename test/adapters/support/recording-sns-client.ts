import { SNSClient } from '@aws-sdk/client-sns';

/**
 * A real SNS client (the SDK's own Query serializer, which URI-encodes every field) whose HTTP
 * handler records the form body that would go on the wire and answers as Publish does.
 */
export function recordingSnsClient(bodies: URLSearchParams[]): SNSClient {
  return new SNSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body: unknown }) => {
        bodies.push(new URLSearchParams(String(request.body)));
        const xml =
          '<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>';
        return { response: { statusCode: 200, headers: {}, body: Buffer.from(xml) } };
      },
    } as never,
  });
}
