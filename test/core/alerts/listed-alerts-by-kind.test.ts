/**
 * Review R-ALERT4 F7: with 5,000 users attacked from 250 rotating addresses the message listed 50
 * near-identical failed-login bursts (`50 failed-login bursts; 5200 more not listed`), and the 250
 * password sprays, which show how wide the attack is, appeared only in the count line.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../../functions/adapters/sns-alert-channel.ts';
import type { Alert, AlertKind } from '../../../functions/core/alerts/alert.ts';
import { MAX_LISTED_ALERTS, renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { textWords } from '../../support/text-part.ts';
import { alertAt, INSTANCE, NOW } from './support/delivery-fixtures.ts';

const options = { instance: INSTANCE, timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

const of = (kind: AlertKind, tag: string, atMs: number): Alert => ({
  ...alertAt(tag, atMs),
  id: `${kind}-${tag}`,
  kind,
});

/** The attack of the review: bursts newest, sprays among them, and a few lockouts. */
function attack(): Alert[] {
  const bursts = Array.from({ length: 5000 }, (_, i) =>
    of('failed_login_burst', `b${i}`, NOW - 60_000 - i * 100),
  );
  const sprays = Array.from({ length: 250 }, (_, i) =>
    of('password_spray', `s${i}`, NOW - 10 * 60_000 - i * 1000),
  );
  const lockouts = Array.from({ length: 3 }, (_, i) => of('lockout', `l${i}`, NOW - 50 * 60_000 - i));
  return [...sprays, ...lockouts, ...bursts];
}

const kindsOf = (alerts: readonly Alert[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const a of alerts) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
};

describe('a message with more alerts than it lists, of several kinds', () => {
  it('lists every kind present, the rarer first, not the newest 50 bursts', () => {
    const message = renderAlertMessage(attack(), options);
    const listed = [...message.text.matchAll(/; alert (\S+)\n/g)].map((m) => m[1] ?? '');
    expect(listed).toHaveLength(MAX_LISTED_ALERTS);
    const kinds = kindsOf(listed.map((id) => ({ kind: id.split('-')[0] }) as Alert));
    // Dealt a row each in turn: the 3 lockouts whole, the sprays and the bursts sharing the rest.
    expect(kinds).toEqual({ lockout: 3, password_spray: 24, failed_login_burst: 23 });
    expect(message.subject).toBe(
      `Security alerts (${INSTANCE}): 250 password sprays, 3 lockouts, 5000 failed-login bursts`,
    );
    // The failures first by kind (sprays, then lockouts, then bursts), newest first within a kind,
    // and the count line says how the rows were shared.
    const rows = [...message.text.matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d) {2}([^:]+):/gm)];
    const kindRuns = rows.map((m) => m[2]).filter((k, i, all) => k !== all[i - 1]);
    expect(kindRuns).toEqual(['password spray', 'lockout', 'failed-login burst']);
    for (const kind of kindRuns) {
      const shown = rows.filter((m) => m[2] === kind).map((m) => m[1] ?? '');
      expect([...shown].sort().reverse()).toEqual(shown);
    }
    expect(textWords(message.text)).toContain(
      `5203 more alerts (226 password sprays, 4977 failed-login bursts) are archived and not listed here: those of each kind past the ${MAX_LISTED_ALERTS} listed, which give every kind a share.`,
    );
  });

  it('gives SNS subscribers the same alerts in the `alerts` attribute', async () => {
    const client = new SNSClient({ region: 'eu-west-1' });
    const sns = mockClient(client);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const message = renderAlertMessage(attack(), options);
    await new SnsAlertChannel(client, 'arn:aws:sns:eu-west-1:111122223333:alerts').deliver(message);
    const attribute =
      sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.alerts?.StringValue;
    const ids = (JSON.parse(attribute ?? '[]') as { id: string }[]).map((a) => a.id);
    expect(ids).toEqual([...message.text.matchAll(/; alert (\S+)\n/g)].map((m) => m[1]));
  });

  it('of one kind, lists the newest as before', () => {
    const bursts = Array.from({ length: 60 }, (_, i) => of('failed_login_burst', `b${i}`, NOW - 60_000 - i));
    const listed = [...renderAlertMessage(bursts, options).text.matchAll(/; alert (\S+)\n/g)].map(
      (m) => m[1],
    );
    expect(listed).toEqual(bursts.slice(0, MAX_LISTED_ALERTS).map((a) => a.id));
  });
});
