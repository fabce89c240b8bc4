import type { AlertChannel, AlertMessage } from '../core/alerts/alert-channel.ts';
import { errorMessage } from '../core/error-message.ts';

/** What one channel answered a test alert. */
export type TestAlertAnswer =
  | { channel: string; status: 'sent'; messageId: string }
  | { channel: string; status: 'failed'; error: string };

export interface TestAlertResult {
  instance: string;
  test: true;
  channels: TestAlertAnswer[];
}

/** Whether the invocation asks for a test alert: `{"test": true}` and nothing less. */
export const isTestEvent = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && (event as { test?: unknown }).test === true;

/**
 * Sends `message` through each channel once and returns what each answered, a failure included:
 * the operator asked to see it, and one channel failing must not hide the other's answer. Nothing
 * is recorded (no checkpoint, no outbox, no metric), so the scheduled runs are as they were.
 */
export async function sendTestAlert(
  channels: readonly AlertChannel[],
  message: AlertMessage,
): Promise<TestAlertAnswer[]> {
  const answers: TestAlertAnswer[] = [];
  for (const channel of channels) {
    try {
      const { messageId } = await channel.deliver(message);
      answers.push({ channel: channel.name, status: 'sent', messageId });
    } catch (error) {
      answers.push({
        channel: channel.name,
        status: 'failed',
        error: errorMessage(error).split('\n')[0] ?? 'error',
      });
    }
  }
  return answers;
}
