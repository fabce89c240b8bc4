import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../functions/adapters/sns-alert-channel.ts';
import { type Alert, publicAlert } from '../../functions/core/alerts/alert.ts';
import type { AlertMessage } from '../../functions/core/alerts/alert-channel.ts';

// What the alerts topic gets: the text as the body, a subject SNS accepts, and the alerts as JSON in
// an attribute for programmatic subscribers, all within Publish's limits.
const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());
afterAll(() => sns.restore());

const TOPIC = 'arn:aws:sns:eu-west-1:1:alerts';
const channel = new SnsAlertChannel(new SNSClient({ region: 'eu-west-1' }), TOPIC);

const alert = (n: number): Alert => ({
  id: n.toString(16).padStart(32, '0'),
  instance: 'acme',
  kind: 'lockout',
  user_id: String(n),
  user_name: `user ${n}`,
  event_time: '2026-10-05 10:00:00.000',
  event_time_ms: Date.parse('2026-10-05T10:00:00Z'),
  evidence: 'account locked after failed logins',
  ip_address: '203.0.113.7',
  event_ids: [`e${n}`],
});
const messageOf = (fields: Partial<AlertMessage> = {}): AlertMessage => ({
  instance: 'acme',
  subject: 'Security alerts (acme): 1 lockout',
  text: 'one alert',
  html: '<p>one alert</p>',
  alerts: [alert(1)],
  ...fields,
});
const published = () => {
  const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
  if (!input) throw new Error('nothing was published');
  return input;
};

describe('SnsAlertChannel message', () => {
  it('publishes the text, the subject, the instance, the count and the alerts as JSON', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const message = messageOf({ alerts: [alert(1), alert(2)] });
    await expect(channel.deliver(message)).resolves.toEqual({ messageId: 'm-1' });
    expect(published()).toEqual({
      TopicArn: TOPIC,
      Subject: 'Security alerts (acme): 1 lockout',
      Message: 'one alert',
      MessageAttributes: {
        instance: { DataType: 'String', StringValue: 'acme' },
        alert_count: { DataType: 'Number', StringValue: '2' },
        alerts: { DataType: 'String', StringValue: JSON.stringify(message.alerts.map(publicAlert)) },
      },
    });
  });

  it('keeps in the attribute the newest alerts that fit, and says how many when not all', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // A spray's lockouts: each lists every IP of the hour before (600 here, ~8.5 KB of evidence).
    const ips = Array.from({ length: 600 }, (_, i) => `198.51.${i >> 8}.${i & 255}`).join(', ');
    const alerts = Array.from({ length: 25 }, (_, i) => ({
      ...alert(i + 1),
      evidence: `locked; IPs: ${ips}`,
    }));
    await channel.deliver(messageOf({ alerts }));
    const attributes = published().MessageAttributes;
    const kept = JSON.parse(attributes?.alerts?.StringValue ?? '[]');
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(25);
    expect(attributes?.alerts_in_attribute?.StringValue).toBe(String(kept.length));
    expect(attributes?.alert_count?.StringValue).toBe('25');
    expect(Buffer.byteLength(attributes?.alerts?.StringValue ?? '')).toBeLessThan(200_000);
  });

  it('names no count in the attribute when every listed alert fits', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await channel.deliver(messageOf({ alerts: [alert(1), alert(2)] }));
    expect(published().MessageAttributes?.alerts_in_attribute).toBeUndefined();
  });

  it('makes the subject printable ASCII under 100 characters, without edge spaces', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await channel.deliver(messageOf({ subject: ' Alerts (zürich)\n' }));
    expect(published().Subject).toBe('Alerts (z?rich)?');
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await channel.deliver(messageOf({ subject: `Security alerts (acme): ${'x'.repeat(200)}` }));
    expect(published().Subject).toBe(`Security alerts (acme): ${'x'.repeat(75)}`);
    expect(published().Subject).toHaveLength(99);
  });

  it('lists at most 50 alerts in the attribute, and counts them all', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const alerts = Array.from({ length: 60 }, (_, i) => alert(i + 1));
    await channel.deliver(messageOf({ alerts }));
    const attributes = published().MessageAttributes;
    expect(attributes?.alert_count?.StringValue).toBe('60');
    expect(JSON.parse(attributes?.alerts?.StringValue ?? '[]')).toEqual(alerts.slice(0, 50).map(publicAlert));
  });

  it('shortens a text over 250,000 bytes, and leaves out alerts that no longer fit beside it', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const text = 'é'.repeat(130_000);
    await channel.deliver(messageOf({ text }));
    const input = published();
    expect(input.Message).toBe(`${'é'.repeat(62_500)}\n[shortened]`);
    expect(input.MessageAttributes?.alerts?.StringValue).toBeDefined();

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const near = 'a'.repeat(199_900);
    await channel.deliver(messageOf({ text: near }));
    expect(published().Message).toBe(near);
    expect(published().MessageAttributes?.alerts).toBeUndefined();
    expect(published().MessageAttributes?.alert_count?.StringValue).toBe('1');
  });

  it('answers "unknown" when SNS gives no message id', async () => {
    sns.on(PublishCommand).resolves({});
    await expect(channel.deliver(messageOf())).resolves.toEqual({ messageId: 'unknown' });
  });
});
