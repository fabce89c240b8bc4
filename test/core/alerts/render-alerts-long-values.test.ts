/**
 * A 300 kB IP field (Domo's is free text) or a lockout's evidence listing every IP of the hour
 * before must not fill the message: over SNS's 250,000 bytes the text is cut, and the other alerts
 * of the batch (a real lockout) would be cut away while the subject still counts them.
 */
import { describe, expect, it } from 'vitest';
import { SnsAlertChannel } from '../../../functions/adapters/sns-alert-channel.ts';
import { ALERT_EVIDENCE_CHARS } from '../../../functions/core/alerts/alert-row.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { RENDER_LIMITS } from '../../../functions/core/mail/render-limits.ts';
import { recordingSnsClient } from '../../adapters/support/recording-sns-client.ts';
import { textWords } from '../../support/text-part.ts';
import { alertAt, NOW } from './support/delivery-fixtures.ts';

const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };
const junkIp = '1.2.3.4 '.repeat(40_000);
const manyIps = Array.from({ length: 5_000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(', ');
const burst = {
  ...alertAt('junk', NOW - 40 * 60_000),
  kind: 'failed_login_burst' as const,
  user_id: null,
  user_name: 'x',
  ip_address: junkIp,
  evidence: `5 failed logins from ${manyIps}`,
};
const real = { ...alertAt('real', NOW - 30 * 60_000), user_name: 'Real Admin' };

describe('long IPs and evidence in an alert message', () => {
  it('clips the IP as the weekly report does, and the evidence', () => {
    const message = renderAlertMessage([burst, real], options);
    // As the words read: the text part wraps them at its width.
    const words = textWords(message.text);
    expect(/ IP: (1\.2\.3\.4.*?); alert /.exec(words)?.[1]).toHaveLength(RENDER_LIMITS.id);
    const evidence = / (5 failed logins from .*?…) IP: /.exec(words)?.[1] ?? '';
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.length).toBeLessThanOrEqual(ALERT_EVIDENCE_CHARS);
    expect(Buffer.byteLength(message.text)).toBeLessThan(5_000);
    expect(Buffer.byteLength(message.html)).toBeLessThan(10_000);
    expect(message.alerts[0]?.ip_address).toBe(junkIp);
  });

  it("shows every account a password spray's evidence names", () => {
    const names = [
      'Karin Zhang-Whitfield',
      'Oluwaseun Adebayo',
      'Marie-Christine Dubois',
      'Sam Hopper',
      'Elena Xu',
    ];
    const spray = {
      ...alertAt('spray', NOW - 20 * 60_000),
      kind: 'password_spray' as const,
      user_id: null,
      user_name: null,
      ip_address: '3.78.72.49',
      evidence: `failed logins of 14 users (18 failures) within 15 minutes (11:02-11:14 Pacific/Auckland) from IP 3.78.72.49 (DE, AS16509 Amazon.com, Inc.): ${names.map((n) => JSON.stringify(n)).join(', ')} and 9 more`,
    };
    const message = renderAlertMessage([spray], options);
    const words = textWords(message.text);
    for (const name of names) {
      expect(words).toContain(`"${name}"`);
      expect(message.html).toContain(`&quot;${name}&quot;`);
    }
    expect(words).toContain('and 9 more');
  });

  it('keeps the other alert of the batch in the SNS text', async () => {
    const bodies: URLSearchParams[] = [];
    const message = renderAlertMessage([burst, real], options);
    await new SnsAlertChannel(recordingSnsClient(bodies), 'arn:aws:sns:eu-west-1:1:alerts').deliver(message);
    const text = bodies[0]?.get('Message') ?? '';
    expect(text).toContain('lockout: Real Admin (42)');
    expect(text).not.toContain('[shortened]');
  });
});
