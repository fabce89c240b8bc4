/**
 * The query to dig further reads at most four days of the lake. When no alert was recent enough to
 * list (a 90-day catch-up), it spanned every alert's day: ~17.6 GB on a 1M-events-a-day instance,
 * which Athena's workgroup cancels at its 10 GB cutoff.
 */
import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { alertsToDig, digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { textWords } from '../../support/text-part.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');
const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

const lockout = (ms: number, user: string): Alert => ({
  id: alertId('acme', 'lockout', [String(ms)]),
  instance: 'acme',
  kind: 'lockout',
  user_id: user,
  user_name: `User ${user}`,
  event_time: lakeTimestamp(ms),
  event_time_ms: ms,
  evidence: 'locked out; no failed login of this user in the hour before',
  ip_address: '203.0.113.7',
  event_ids: [String(ms)],
});

/** The days the query to dig further in `text` reads (its `dt BETWEEN`, the last one), both ends included. */
function daysRead(text: string): number {
  const all = [...text.matchAll(/dt BETWEEN '(\d{4}-\d\d-\d\d)' AND '(\d{4}-\d\d-\d\d)'/g)];
  const [, from, to] = all.at(-1) ?? [];
  return (Date.parse(to ?? '') - Date.parse(from ?? '')) / DAY_MS + 1;
}

/** A catch-up's alerts: one every 6 hours for 90 days, ending 3 days ago, a user per day. */
const catchUp = Array.from({ length: 90 * 4 }, (_, i) => {
  const ms = NOW - 3 * DAY_MS - i * 6 * HOUR_MS;
  return lockout(ms, `d${Math.floor(i / 4)}`);
});

describe('the query to dig further', () => {
  it('after a catch-up with none listed, digs into the latest days only and says so', () => {
    const message = renderAlertMessage(catchUp, options);
    expect(message.subject).toBe('Security alerts (acme): 360 earlier lockouts archived');

    // The newest alert is at 2026-11-15 15:00: that day and the one before, the day before them
    // and the day after.
    expect(message.text).toContain("AND dt BETWEEN '2026-11-13' AND '2026-11-16'");
    expect(daysRead(message.text)).toBe(4);
    expect(message.text).toContain("user_id IN ('d0', 'd1')");
    expect(message.text).not.toContain("'d2'");
    expect(textWords(message.text)).toContain(
      'The query below digs into the latest 7 of these 360 archived alerts (about events on 2026-11-14 and 2026-11-15 UTC), so that it reads only a few days of the lake; for the others, change its users and dates.',
    );
  });

  it('with some listed and more archived, says the alerts it names some of are those listed', () => {
    // 5 alerts of the last 72 hours listed (over 3 days), 2 older ones archived and only counted.
    const hoursAgo = [100, 90, 70, 50, 30, 10, 2];
    const alerts = hoursAgo.map((h, i) => lockout(NOW - h * HOUR_MS, `u${i}`));
    const message = renderAlertMessage(alerts, { ...options, mailOlderThanHours: 72 });
    const text = textWords(message.text);
    const summary = text.indexOf('2 more alerts (2 lockouts) are archived and not listed here');
    const note =
      'The query below digs into the latest 3 of the 5 alerts listed above (about events on 2026-11-17 and 2026-11-18 UTC)';
    expect(summary).toBeGreaterThan(0);
    expect(text.indexOf(note)).toBeGreaterThan(summary);
    expect(message.text).not.toContain('of these 5 alerts');
  });

  it('reads at most four days whatever the alerts span, listed ones included', () => {
    for (const days of [1, 2, 3, 10, 365]) {
      const alerts = Array.from({ length: days * 2 }, (_, i) => lockout(NOW - i * 12 * HOUR_MS, `u${i}`));
      expect(daysRead(digQuery('acme', alerts))).toBeLessThanOrEqual(4);
      const listedAll = renderAlertMessage(alerts, { ...options, mailOlderThanHours: 24 * 366 });
      expect(daysRead(listedAll.text)).toBeLessThanOrEqual(4);
      expect(alertsToDig(alerts).length).toBe(Math.min(alerts.length, days === 1 ? 2 : 4));
    }
  });

  it('names every listed alert under the default settings, with no note', () => {
    const recent = [lockout(NOW - 23 * HOUR_MS, 'a'), lockout(NOW - HOUR_MS, 'b')];
    const message = renderAlertMessage(recent, options);
    expect(message.text).toContain("user_id IN ('b', 'a')");
    expect(message.text).not.toContain('digs into the latest');
  });
});
