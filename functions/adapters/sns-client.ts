import { SNSClient } from '@aws-sdk/client-sns';

/** How {@link createSnsClient} makes its client. */
interface SnsClientOptions {
  /**
   * The SDK's default retries, for read-only calls: ListSubscriptionsByTopic (the report's topic
   * check) is throttled account-wide (30 calls a second), so one throttle would otherwise put
   * "could not check" in every instance's mail. Default: one attempt, for Publish.
   */
  retries?: boolean;
  requestTimeoutMs?: number;
}

/**
 * An SNS client with a bounded request time and, unless `retries` is set, one attempt: like
 * SendEmail, Publish is not idempotent on a standard topic, and an SDK retry after a timeout could
 * publish twice, unmarked. The alerts checkpoint records such an outcome as unknown instead, and the
 * next run publishes it again marked as a possible repeat (deliver-alerts.ts).
 */
export const createSnsClient = ({
  retries = false,
  requestTimeoutMs = 10_000,
}: SnsClientOptions = {}): SNSClient =>
  new SNSClient({
    ...(retries ? {} : { maxAttempts: 1 }),
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
