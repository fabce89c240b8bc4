import type { AlertChannel, AlertMessage } from '../core/alerts/alert-channel.ts';
import { readAlertCheckpoint } from '../core/alerts/alert-checkpoint.ts';
import { errorMessage } from '../core/error-message.ts';
import type { ObjectStore } from '../core/ports.ts';

/** What one channel answered a test alert. */
type TestAlertAnswer =
  | { channel: string; status: 'sent'; messageId: string }
  | { channel: string; status: 'failed'; error: string };

/**
 * What the alerts checkpoint says, read only: a channel's `sent` answer to a test says nothing of
 * the real runs, which may be paused (a corrupt or newer checkpoint) or holding alerts a channel
 * keeps failing (review R-ALERT5 F5).
 */
type AlertsStateSeen =
  | { status: 'no run yet' }
  | { status: 'not readable'; reason: string }
  | {
      status: 'read';
      channels: {
        channel: string;
        waiting: number;
        /** Alerts in a claim not settled yet: a run sending now, or one that stopped while sending. */
        in_flight: number;
        failures: number;
        last_error: string | null;
      }[];
    };

export interface TestAlertResult {
  instance: string;
  test: true;
  channels: TestAlertAnswer[];
  state: AlertsStateSeen;
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

/** The alerts checkpoint of `instance` as a test alert reports it (see {@link AlertsStateSeen}). */
export async function alertsStateSeen(store: ObjectStore, instance: string): Promise<AlertsStateSeen> {
  try {
    const stored = await readAlertCheckpoint(store, instance);
    if (stored === undefined) return { status: 'no run yet' };
    const channels = Object.entries(stored.checkpoint.channels).map(([channel, state]) => ({
      channel,
      waiting: state.outbox.length + (state.folded?.count ?? 0),
      in_flight: (state.sending?.alerts.length ?? 0) + (state.sending?.folded?.count ?? 0),
      failures: state.failures,
      last_error: state.last_error,
    }));
    return { status: 'read', channels };
  } catch (error) {
    return { status: 'not readable', reason: errorMessage(error).split('\n')[0] ?? 'error' };
  }
}
