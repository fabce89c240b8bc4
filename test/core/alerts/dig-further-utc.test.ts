/**
 * The alerts are shown in the report's zone, the queries a message offers give the lake's UTC
 * times: in the demo (America/New_York) a lockout listed at `2026-11-25 19:51 -05:00` came back
 * from the query as `2026-11-26 00:51`, and nothing said why (review R-ALERTSTIME, LOW 7). The
 * sentence before the query says so whenever the zone is not UTC (of that query alone since
 * 2026-12-07: the next steps' queries give local columns, and say so).
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

const nowMs = Date.parse('2026-11-02T09:00:00Z');
const SAYS = 'The query below gives times in UTC, not in America/New_York.';

describe('the query to dig further', () => {
  it('says its times are in UTC when the alerts are shown in another zone', () => {
    const message = renderAlertMessage([alertOf()], {
      instance: 'main',
      timeZone: 'America/New_York',
      nowMs,
      mailOlderThanHours: 24,
    });
    expect(message.text.replace(/\s+/g, ' ')).toContain(`${SAYS} To dig further, run in Athena`);
    expect(message.html).toContain(`<p style="font-size:14px;">${SAYS} To dig further, run in Athena`);
  });

  it('says nothing of it when they are shown in UTC', () => {
    const message = renderAlertMessage([alertOf()], {
      instance: 'main',
      timeZone: 'UTC',
      nowMs,
      mailOlderThanHours: 24,
    });
    expect(message.text).not.toContain('gives times in UTC');
  });

  // Review R-ALFIX L8: only `UTC` and `Etc/UTC` counted as UTC, so `Etc/GMT` read "times in UTC,
  // not in Etc/GMT". Decided by the offset over the year: a zone at 0 only in winter is not UTC.
  it.each([
    'Etc/UTC',
    'Etc/GMT',
    'Etc/UCT',
    'Etc/Universal',
    'Etc/Zulu',
    'GMT',
    'UCT',
    'Universal',
    'Zulu',
    'Etc/GMT0',
    'Etc/GMT+0',
    'Etc/GMT-0',
    'Etc/Greenwich',
    'Greenwich',
    'GMT0',
  ])('says nothing of it in %s, another name of UTC', (timeZone) => {
    const message = renderAlertMessage([alertOf()], {
      instance: 'main',
      timeZone,
      nowMs,
      mailOlderThanHours: 24,
    });
    expect(message.text).not.toContain('gives times in UTC');
  });

  it.each([
    ['Europe/London', 0],
    ['Africa/Casablanca', 1],
    ['Atlantic/Reykjavik', 0],
  ])('says so in %s, at UTC+%s on the day of the message', (timeZone) => {
    const message = renderAlertMessage([alertOf()], {
      instance: 'main',
      timeZone,
      nowMs,
      mailOlderThanHours: 24,
    });
    const says = message.text.replace(/\s+/g, ' ').includes(`gives times in UTC, not in ${timeZone}.`);
    // Reykjavik keeps 0 all year: its times are UTC's, and it is told as such.
    expect(says).toBe(timeZone !== 'Atlantic/Reykjavik');
  });
});
