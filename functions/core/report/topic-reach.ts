/**
 * Whether the stack's SNS topics still reach anyone, said in the weekly report. A topic whose last
 * subscription was removed (one click on the unsubscribe link of any alarm mail) or never confirmed
 * accepts every publish and delivers it to nobody, without an error anywhere: every alarm,
 * including the one that says nothing runs any more, would go unseen. The weekly mail is the one
 * message that still arrives (SES, not SNS), so it carries the warning.
 */
import { errorMessage } from '../error-message.ts';

/** A topic the report checks, and the stack output that names it (what the operator looks up). */
export interface WatchedTopic {
  /** `alarms` (the alarm topic) or `security alerts` (the alerts topic): what goes nowhere. */
  carries: string;
  topicArn: string;
  /** Stack output holding the ARN, e.g. `AlarmTopicArn`. */
  output: string;
}

/** The subscriptions of a topic, as SNS lists them (`ListSubscriptionsByTopic`). */
export interface TopicSubscriptionSource {
  /**
   * Whether the topic has a confirmed subscription (a pending one, listed as `PendingConfirmation`,
   * receives nothing); throws when that cannot be told.
   */
  hasConfirmedSubscription(topicArn: string): Promise<boolean>;
}

export type TopicReach = { topic: WatchedTopic; reached: boolean } | { topic: WatchedTopic; error: string };

/** SNS's SubscriptionArn of a subscription not confirmed yet (or whose confirmation was deleted). */
const PENDING = 'PendingConfirmation';

/**
 * Whether each topic has a confirmed subscription. A topic whose listing fails is reported with
 * why, never thrown: the check must not stop the report it is part of.
 */
export async function checkTopicReach(
  source: TopicSubscriptionSource,
  topics: readonly WatchedTopic[],
): Promise<TopicReach[]> {
  return Promise.all(
    topics.map(async (topic): Promise<TopicReach> => {
      try {
        return { topic, reached: await source.hasConfirmedSubscription(topic.topicArn) };
      } catch (error) {
        return { topic, error: errorMessage(error) };
      }
    }),
  );
}

/**
 * The notices for the top of the report: one per topic that reaches nobody, with the commands that
 * fix it, and one per topic that could not be checked, with why. None when every topic has a
 * confirmed subscription.
 */
export function topicReachNotices(reaches: readonly TopicReach[]): string[] {
  return reaches.flatMap((reach): string[] => {
    const { carries, topicArn, output } = reach.topic;
    if ('error' in reach)
      return [
        `Could not check whether ${carries} reach anyone: listing the subscriptions of the topic ${topicArn} (stack output ${output}) failed: ${reach.error}. Check by hand: aws sns list-subscriptions-by-topic --topic-arn ${topicArn}`,
      ];
    if (reach.reached) return [];
    return [
      `${capitalised(carries)} go nowhere: the topic ${topicArn} (stack output ${output}) has no confirmed subscription (${PENDING} ones receive nothing), so ${carries} are published to nobody. Subscribe an address: aws sns subscribe --topic-arn ${topicArn} --protocol email --notification-endpoint <address>, then, instead of clicking the link in the confirmation mail, confirm with its token: aws sns confirm-subscription --topic-arn ${topicArn} --token <token from the link> --authenticate-on-unsubscribe true`,
    ];
  });
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
