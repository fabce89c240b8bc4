/**
 * The message's next steps (next-steps-mail.ts): for its most serious alert, the saved queries
 * and the values their parameters take, as the `alerts` table gives them as commands (one choice,
 * core/alerts/next-steps.ts). Until 2026-12-07 the message offered only the query of every
 * alerted user's events of four days, hundreds of rows (brief ALERTNEXT 1).
 */
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '../../../functions/core/alerts/alert.ts';
import { inAthena } from '../../../functions/core/alerts/dig-further.ts';
import { NEXT_STEPS_SECTION, nextStepsOf } from '../../../functions/core/alerts/next-steps.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { SAVED_QUERY_PARAMS } from '../../../functions/core/alerts/saved-query-steps.ts';
import { positionalValues } from '../../../functions/core/queries/query-params.ts';
import { loadQuery } from '../../../functions/queries/catalog.ts';
import { CHROMIUM, probeInChromium } from '../../support/chromium-layout.ts';
import { missingToolTest } from '../../support/missing-tool.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-10T23:30:00Z');
const CATALOG = { database: 'domo_activity_lake', workGroup: 'domo-activity-lake' };
const options = {
  instance: 'acme',
  timeZone: 'Europe/Berlin',
  nowMs: NOW,
  mailOlderThanHours: 24,
  digFurther: inAthena(CATALOG),
};
/** Ann signs in from a new country at 23:07 UTC (00:07 in Berlin, the next day) through a proxy. */
const ann = alertOf({
  instance: 'acme',
  kind: 'new_country',
  user_id: '4242',
  user_name: 'Ann Lee',
  ip_address: '10.0.0.9, 3.3.3.3',
  event_time_ms: NOW - 23 * 60_000,
});

/** The values of the next steps' lines: `Every query:` and each query's, by query. */
function stepValues(text: string): Map<string, Record<string, string>> {
  const start = text.indexOf('Every query:');
  const lines = text.slice(start, text.indexOf('\n\nThe query below', start)).split('\n');
  const blocks = new Map<string, Record<string, string>>();
  let current: Record<string, string> = {};
  for (const line of lines) {
    const head = /^(\w+|Every query):$/.exec(line);
    const value = /^ {2}(\w+) '([^']*)'$/.exec(line);
    if (head) {
      current = {};
      blocks.set(head[1] as string, current);
    } else if (value) current[value[1] as string] = value[2] as string;
    else expect(line, 'a line of the next steps').toBe('');
  }
  return blocks;
}

describe("the alerts mail's next steps", () => {
  it("lists every other parameter of each query it may give, as the catalog's files do", () => {
    const period = new Set(['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts']);
    const chosen = new Set(
      ALERT_KINDS.flatMap((kind) =>
        nextStepsOf(alertOf({ kind, user_id: '7', ip_address: '5.6.7.8' }), 'UTC').queries.map((q) => q.name),
      ),
    );
    expect([...chosen].sort()).toEqual(Object.keys(SAVED_QUERY_PARAMS).sort());
    for (const name of chosen) {
      expect(SAVED_QUERY_PARAMS[name], name).toEqual(loadQuery(name).params.filter((p) => !period.has(p)));
    }
  });

  it('names the most serious alert, the saved queries and the values to give them, which the queries take', () => {
    // A lockout of another user, less serious, does not get the steps.
    const bob = alertOf({ instance: 'acme', kind: 'lockout', user_id: '99', event_time_ms: NOW - 60_000 });
    const { text, html } = renderAlertMessage([bob, ann], options);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Next steps: the most serious alert is the login from a new country of Ann Lee (4242) at 2026-11-11 00:07 +01:00.',
    );
    expect(flat).toContain("Athena's Saved queries tab (workgroup domo-activity-lake)");
    expect(flat).toContain(`docs/operations.md, "${NEXT_STEPS_SECTION.replace(/\s+/g, ' ')}"`);
    const values = stepValues(text);
    expect([...values.keys()]).toEqual([
      'Every query',
      'user_activity',
      'suspicious_logins',
      'user_addresses',
      'address_activity',
    ]);
    // The UTC days around the alert's (the 10th, 23:07 UTC), the client entry of the proxy's list,
    // the table's zone, the defaults the command line fills in.
    expect(values.get('Every query')).toEqual({
      instance: 'acme',
      from_dt: '2026-11-09',
      to_dt: '2026-11-11',
      from_ts: '2026-11-09 00:00:00.000',
      to_ts: '2026-11-12 00:00:00.000',
    });
    expect(values.get('user_activity')).toMatchObject({ user_id: '4242', time_zone: 'Europe/Berlin' });
    expect(values.get('suspicious_logins')).toMatchObject({ doer_id: '4242', history_from_dt: '2026-10-10' });
    expect(values.get('address_activity')).toMatchObject({ address: '3.3.3.3', asn: '' });
    // Every value each query asks for, each one it takes.
    for (const [name, own] of values) {
      if (name === 'Every query') continue;
      expect(
        () => positionalValues(loadQuery(name), { ...values.get('Every query'), ...own }),
        name,
      ).not.toThrow();
    }
    // The HTML gives the same lines, in a box of their own.
    expect(html).toContain(`<pre style="background:#f4f4f4;padding:8px;white-space:pre-wrap;`);
    expect(html).toContain('  user_id &#39;4242&#39;\n  time_zone &#39;Europe/Berlin&#39;');
    // Only the one alert's: Bob's id is not among the values.
    const steps = [...values.values()].flatMap((own) => Object.values(own));
    expect(steps).not.toContain('99');
  });

  it("gives a zone Athena knows by an older name by that name, the times still in the message's", () => {
    // Athena's zone list has Europe/Kiev, not Europe/Kyiv: the name configured fails the query.
    const { text } = renderAlertMessage([ann], { ...options, timeZone: 'Europe/Kyiv' });
    expect(text.replace(/\s+/g, ' ')).toContain('of Ann Lee (4242) at 2026-11-11 01:07 +02:00.');
    const values = stepValues(text);
    for (const name of ['user_activity', 'suspicious_logins', 'user_addresses', 'address_activity']) {
      expect(values.get(name)?.time_zone, name).toBe('Europe/Kiev');
    }
    expect(text).not.toContain("'Europe/Kyiv'");
  });

  it("says which of its queries' times are local, and that the query below gives UTC's", () => {
    // Until 2026-12-07 the sentence before the dig query said every query of the message gave
    // UTC times, while the next steps' local_time columns were in the message's zone.
    const flat = renderAlertMessage([ann], options).text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'Their times are in UTC, their local ones (local_time, local_hour and the like) in Europe/Berlin.',
    );
    expect(flat).toContain('The query below gives times in UTC, not in Europe/Berlin. To dig further');
    expect(flat).not.toContain('The queries in this message');
    const utc = renderAlertMessage([ann], { ...options, timeZone: 'UTC' }).text.replace(/\s+/g, ' ');
    expect(utc).toContain('Next steps:');
    expect(utc).not.toContain('their local ones');
  });

  it("gives suspicious_logins the deployment's judging where it is not the query's default", () => {
    const judged = { ...options, historyDays: 14, minHistoryLogins: 5, maxSpeedKmh: 800 };
    const values = stepValues(renderAlertMessage([ann], judged).text);
    // The steps start on the 9th: the history is the 14 days before it, as the alert's was.
    const own = values.get('suspicious_logins') ?? {};
    expect(own).toMatchObject({
      history_from_dt: '2026-10-26',
      history_from_ts: '2026-10-26 00:00:00.000',
      min_history_logins: '5',
      max_speed_kmh: '800',
      doer_id: '4242',
    });
    expect(() =>
      positionalValues(loadQuery('suspicious_logins'), { ...values.get('Every query'), ...own }),
    ).not.toThrow();
    // The defaults: the query's own values, as before.
    expect(stepValues(renderAlertMessage([ann], options).text).get('suspicious_logins')).toMatchObject({
      history_from_dt: '2026-10-10',
      min_history_logins: '10',
      max_speed_kmh: '1000',
    });
  });

  it('gives a spray of a network its owner, and no query of a user id it could not show as typed', () => {
    const spray = alertOf({ instance: 'acme', kind: 'password_spray', spray_key: 'OWNER AS14061' });
    expect(stepValues(renderAlertMessage([spray], options).text).get('address_activity')).toMatchObject({
      address: '',
      asn: '14061',
    });
    // A Domo id with a quote, or a link's dots: the user's queries are left out, the address's kept.
    for (const user_id of ["42'; DROP", 'evil.example.com']) {
      const odd = { ...ann, user_id };
      expect([...stepValues(renderAlertMessage([odd], options).text).keys()], user_id).toEqual([
        'Every query',
        'address_activity',
      ]);
    }
  });
});

describe("the alerts mail's next steps in Chromium", () => {
  if (!CHROMIUM) {
    missingToolTest('chromium', "the alerts mail's next steps on a phone");
    return;
  }
  const WIDTHS = [375, 1280] as const;
  /** The page's width, and whether each line of the steps' box takes one line of the screen. */
  const READ = `(doc) => {
    const pre = [...doc.querySelectorAll('pre')].find((p) => p.textContent.startsWith('Every query:'));
    const style = doc.defaultView.getComputedStyle(pre);
    const inner = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const probe = doc.createElement('pre');
    probe.setAttribute('style', pre.getAttribute('style'));
    probe.textContent = 'x';
    pre.parentNode.appendChild(probe);
    const line = probe.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return { scrollWidth: doc.documentElement.scrollWidth, screenLines: Math.round(inner / line), lines: pre.textContent.split('\\n').length };
  }`;

  it.each(WIDTHS)(
    'fits %i px, each line of its values on one line of the screen',
    async (width) => {
      const { html } = renderAlertMessage([ann], options);
      const [reading] = await probeInChromium<{ scrollWidth: number; screenLines: number; lines: number }>(
        [{ html, width }],
        READ,
      );
      expect(reading?.scrollWidth).toBeLessThanOrEqual(width);
      expect(reading?.screenLines).toBe(reading?.lines);
    },
    120_000,
  );
});
