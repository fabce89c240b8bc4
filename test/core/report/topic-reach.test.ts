import { describe, it } from 'vitest';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import {
  checkTopicReach,
  type TopicSubscriptionSource,
  topicReachNotices,
  type WatchedTopic,
} from '../../../functions/core/report/topic-reach.ts';
import { textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

const ALARMS: WatchedTopic = {
  carries: 'alarms',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
  output: 'AlarmTopicArn',
};
const ALERTS: WatchedTopic = {
  carries: 'security alerts',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
  output: 'AlertsTopicArn',
};

/** SNS's listing in memory: each topic's subscription ARNs, or the error listing it throws. */
class MemorySubscriptions implements TopicSubscriptionSource {
  constructor(private readonly topics: Record<string, readonly string[] | Error>) {}
  async hasConfirmedSubscription(topicArn: string): Promise<boolean> {
    const listed = this.topics[topicArn] ?? [];
    if (listed instanceof Error) throw listed;
    return listed.some((arn) => arn !== 'PendingConfirmation');
  }
}

const confirmed = (topic: WatchedTopic) => `${topic.topicArn}:0f3c9a52-1b7e-4c1d-9d2e-5a6b7c8d9e0f`;

describe.concurrent('whether the stack topics reach anyone', () => {
  it('says nothing while each topic has a confirmed subscription', async ({ expect }) => {
    const source = new MemorySubscriptions({
      [ALARMS.topicArn]: ['PendingConfirmation', confirmed(ALARMS)],
      [ALERTS.topicArn]: [confirmed(ALERTS)],
    });
    const reaches = await checkTopicReach(source, [ALARMS, ALERTS]);
    expect(reaches.map((r) => ('reached' in r ? r.reached : r.error))).toEqual([true, true]);
    expect(topicReachNotices(reaches)).toEqual([]);
  });

  it('says alarms go nowhere, with the commands that fix it, when only pending ones (or none) are left', async ({
    expect,
  }) => {
    const source = new MemorySubscriptions({
      [ALARMS.topicArn]: ['PendingConfirmation'],
      [ALERTS.topicArn]: [],
    });
    const [alarms, alerts] = topicReachNotices(await checkTopicReach(source, [ALARMS, ALERTS]));
    expect(alarms).toMatch(
      /^Alarms go nowhere: the topic arn:aws:sns:eu-west-1:123456789012:alarms \(stack output AlarmTopicArn\) has no confirmed subscription/,
    );
    expect(alarms).toContain(
      'aws sns subscribe --topic-arn arn:aws:sns:eu-west-1:123456789012:alarms --protocol email --notification-endpoint <address>',
    );
    expect(alarms).toContain(
      'aws sns confirm-subscription --topic-arn arn:aws:sns:eu-west-1:123456789012:alarms --token <token from the link> --authenticate-on-unsubscribe true',
    );
    expect(alerts).toMatch(
      /^Security alerts go nowhere: the topic .*:alerts \(stack output AlertsTopicArn\)/,
    );
  });

  it('says it could not check, and why, when listing fails, without throwing', async ({ expect }) => {
    const denied = new Error(
      'User: arn:aws:sts::123456789012:assumed-role/report is not authorized to perform: SNS:ListSubscriptionsByTopic',
    );
    const source = new MemorySubscriptions({
      [ALARMS.topicArn]: denied,
      [ALERTS.topicArn]: [confirmed(ALERTS)],
    });
    const notices = topicReachNotices(await checkTopicReach(source, [ALARMS, ALERTS]));
    expect(notices).toEqual([
      `Could not check whether alarms reach anyone: listing the subscriptions of the topic ${ALARMS.topicArn} (stack output AlarmTopicArn) failed: ${denied.message}. Check by hand: aws sns list-subscriptions-by-topic --topic-arn ${ALARMS.topicArn}`,
    ]);
  });

  it('puts the notices first among the report notes, in the text part too', async ({ expect }) => {
    const notice = 'Alarms go nowhere: the topic has no confirmed subscription.';
    const model = await buildReportModel(new FakeEngine(CONTRACT_ROWS), {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      notices: [notice],
    });
    expect(model.notes[0]).toBe(notice);
    expect(textWords(renderText(model))).toContain(`NOTE: ${notice}`);
  });
});
