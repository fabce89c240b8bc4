import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { MAX_LISTED_ALERTS, renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { textWords } from '../../support/text-part.ts';
import { alertAt, INSTANCE, NOW } from './support/delivery-fixtures.ts';

const options = { instance: INSTANCE, timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };

/** The alerts `text` lists, by the id in their `IP: …; alert <id>` line, in the order shown. */
const listedIds = (text: string): string[] => [...text.matchAll(/; alert (\S+)\n/g)].map((m) => m[1] ?? '');

describe('an alert message with more recent alerts than it lists', () => {
  it('counts the recent alerts beyond the rows it lists with the unlisted ones', () => {
    const recent = Array.from({ length: MAX_LISTED_ALERTS + 10 }, (_, i) =>
      alertAt(`r${i}`, NOW - (i + 1) * 60_000),
    );
    const message = renderAlertMessage(recent, options);
    expect(message.subject).toBe(`Security alerts (${INSTANCE}): ${MAX_LISTED_ALERTS + 10} lockouts`);
    expect(textWords(message.text)).toContain(
      `10 more alerts (10 lockouts) are archived and not listed here: those older than the ${MAX_LISTED_ALERTS} listed.`,
    );
    expect(message.text).toContain(`locked out (r${MAX_LISTED_ALERTS - 1})`);
    expect(message.text).not.toContain(`locked out (r${MAX_LISTED_ALERTS})`);
    expect(message.alerts).toHaveLength(MAX_LISTED_ALERTS + 10);
  });

  it('speaks of events before the cutoff only when some counted are about such', () => {
    const recent = Array.from({ length: MAX_LISTED_ALERTS + 2 }, (_, i) =>
      alertAt(`r${i}`, NOW - (i + 1) * 60_000),
    );
    expect(textWords(renderAlertMessage(recent, options).text)).not.toContain('about events before');
    const older = [...recent, alertAt('old', NOW - 30 * HOUR_MS)];
    expect(textWords(renderAlertMessage(older, options).text)).toContain(
      `3 more alerts (3 lockouts) are archived and not listed here: those about events before 2026-11-17 15:00 UTC, and any older than the ${MAX_LISTED_ALERTS} listed.`,
    );
  });

  it('lists the newest ones, newest first, from an outbox that holds them oldest first', () => {
    // An attack going on: 60 bursts 20 minutes apart, the last a minute ago, in the outbox's order.
    const bursts: Alert[] = Array.from({ length: 60 }, (_, i) => ({
      ...alertAt(`b${i}`, NOW - 60_000 - (59 - i) * 20 * 60_000),
      kind: 'failed_login_burst',
      user_id: `u${i}`,
    }));
    const newest = [...bursts].reverse();
    const message = renderAlertMessage(bursts, options);

    expect(listedIds(message.text)).toEqual(newest.slice(0, MAX_LISTED_ALERTS).map((a) => a.id));
    for (const alert of bursts.slice(-10)) expect(message.html).toContain(`Ann (${alert.user_id})`);
    expect(message.html).not.toContain('Ann (u9)');
    expect(message.subject).toBe(
      `Security alerts (${INSTANCE}): ${MAX_LISTED_ALERTS + 10} failed-login bursts`,
    );
    // The ten not listed are the oldest: the summary's archive query reads their days only.
    expect(textWords(message.text)).toContain('10 more alerts (10 failed-login bursts) are archived');
    expect(message.text).toContain("dt BETWEEN '2026-11-17' AND '2026-11-17' ORDER BY");
    expect(message.text).toContain(digQuery(INSTANCE, newest.slice(0, MAX_LISTED_ALERTS)));
    expect(message.text).toContain("'u59'");
    expect(message.text).not.toContain("'u9'");
  });
});
