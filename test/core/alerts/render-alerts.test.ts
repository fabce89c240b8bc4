import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import type { UnlistedAlerts } from '../../../functions/core/alerts/unlisted-alerts.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { TEXT_WIDTH } from '../../../functions/core/mail/text-width.ts';
import { textWords } from '../../support/text-part.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');

function alert(fields: Partial<Alert> & { event_time_ms: number }): Alert {
  return {
    id: alertId('acme', fields.kind ?? 'lockout', [String(fields.event_time_ms)]),
    instance: 'acme',
    kind: 'lockout',
    user_id: '42',
    user_name: 'Ann',
    event_time: lakeTimestamp(fields.event_time_ms),
    evidence: 'locked out after 6 failed logins in the hour before, from IP 203.0.113.7',
    ip_address: '203.0.113.7',
    event_ids: ['a'],
    ...fields,
  };
}

const options = { instance: 'acme', timeZone: 'America/New_York', nowMs: NOW, mailOlderThanHours: 24 };

describe('the alert message', () => {
  it('lists recent alerts with the user, what, when in the report zone and the evidence', () => {
    const message = renderAlertMessage([alert({ event_time_ms: NOW - 30 * 60_000 })], options);
    expect(message.subject).toBe('Security alerts (acme): 1 lockout');
    expect(message.text).toContain('2026-11-18 09:30 -05:00  lockout: Ann (42)');
    expect(message.text).toContain(
      '\n  locked out after 6 failed logins in the hour before, from IP\n  203.0.113.7\n',
    );
    expect(message.html).toMatch(
      /<td [^>]*><h2 [^>]*><b [^>]*>lockout<\/b> &middot; <span [^>]*>2026-11-18 09:30 -05:00<\/span>\n<br>Ann \(42\)<\/h2>\nlocked out after 6/,
    );
    expect(message.html).toContain(
      'Alerts, failed logins first, then by kind, newest first within a kind (privileged changes gravest first) (times in America/New_York)',
    );
    expect(message.html).not.toMatch(/<a\s|href=/i);
  });

  it('escapes every Domo string as the weekly report does (HTML entities, no controls or bidi overrides)', () => {
    const evil = alert({
      event_time_ms: NOW - 60_000,
      user_name: '<img src=x onerror=alert(1)>\u202eevil\u0007',
      user_id: "7' OR '1'='1",
      evidence: 'a & b',
    });
    const message = renderAlertMessage([evil], options);
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;evil');
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('a &amp; b');
    expect(message.text).not.toContain('\u202e');
    expect(message.text).not.toContain('\u0007');
    // The user id is quoted as an SQL literal in the query to copy.
    expect(digQuery('acme', [evil])).toContain("user_id IN ('7'' OR ''1''=''1')");
    expect(message.html).toContain('user_id IN (&#39;7&#39;&#39; OR');
  });

  it('quotes a name with hidden characters so the query matches the stored name, showing none of them', () => {
    const nameless = alert({
      event_time_ms: NOW - 60_000,
      user_id: null,
      user_name: "o'brien\r\nBcc: x\u202e",
    });
    const query = digQuery('acme', [nameless]);
    expect(query).toContain("user_name IN (('o''brien' || chr(13) || chr(10) || 'Bcc: x' || chr(8238)))");
    expect(query).not.toMatch(/[\r\u202e]/);
    expect(digQuery('acme', [alert({ event_time_ms: NOW, user_id: null, user_name: '' })])).toContain(
      "AND ((user_id IS NULL AND (user_name IS NULL OR user_name = '')))",
    );
  });

  it('clips a long user name as the weekly report does, keeping the id', () => {
    const long = `${'Jane '.repeat(100)}Doe`;
    const message = renderAlertMessage(
      [alert({ event_time_ms: NOW - 60_000, user_name: long, user_id: '42' })],
      options,
    );
    const shown = `${long.slice(0, 47)}… (42)`;
    // The header wraps at the text part's width; its words stay in order.
    expect(textWords(message.text)).toContain(`lockout: ${shown} locked out after`);
    expect(message.html).toContain(`<br>${shown}</h2>\n`);
    for (const part of [message.text, message.html]) expect(part).not.toContain('Jane Doe');
  });

  it('says below history-judged alerts why the weekly report can list other logins, in text and HTML', () => {
    const unusual = alert({
      event_time_ms: NOW - 60_000,
      kind: 'unusual_hour',
      evidence: 'login at 15:03 UTC; 1 of 22 logins in 15 days of history were in the hours 13:00 to 17:59',
    });
    const note =
      "New-country, new-network-owner and unusual-hour alerts judge a login against the user's logins in the 30 days before its hour, the week's earlier logins included. The weekly report judges the whole week against the logins before the week starts, so it can list other logins than these alerts, or none of them.";
    const message = renderAlertMessage([unusual], options);
    expect(textWords(message.text)).toContain(
      `in the hours 13:00 to 17:59 IP: 203.0.113.7; alert ${unusual.id} ${note} `,
    );
    expect(message.html).toContain(
      `<p style="font-size:14px;word-break:break-word;overflow-wrap:anywhere;">${esc(note)}</p>`,
    );
    // The window the alerts were judged against, when not the default.
    expect(renderAlertMessage([unusual], { ...options, historyDays: 14 }).text).toContain(
      'in the 14 days before its hour',
    );
    // Only where it applies: a lockout or an impossible journey is not judged against a history.
    const other = [
      alert({ event_time_ms: NOW - 60_000 }),
      alert({ event_time_ms: NOW, kind: 'impossible_travel' }),
    ];
    for (const part of Object.values(renderAlertMessage(other, options))) {
      if (typeof part === 'string') expect(part).not.toContain('weekly report');
    }
  });

  it('summarises alerts about events older than mailOlderThanHours instead of listing them', () => {
    const old = [1, 2, 3].map((d) => alert({ event_time_ms: NOW - d * 86_400_000 - 1, kind: 'new_network' }));
    const recent = alert({ event_time_ms: NOW - 60_000 });
    const message = renderAlertMessage([...old, recent], options);
    expect(message.subject).toBe('Security alerts (acme): 1 lockout, 3 logins from a new network owner');
    expect(textWords(message.text)).toContain(
      '3 more alerts (3 logins from a new network owner) are archived and not listed here',
    );
    // The query to find them reads only the days they are about: on a line of its own, whole.
    expect(message.text).toContain(
      "\nSELECT * FROM alerts WHERE instance = 'acme' AND dt BETWEEN '2026-11-15' AND '2026-11-17' ORDER BY event_time DESC, id\n",
    );
    expect(message.alerts).toHaveLength(4);
    const none = renderAlertMessage(old, options);
    expect(none.subject).toBe('Security alerts (acme): 3 earlier logins from a new network owner archived');
    // None listed above: not "3 more", nor "any older than the 50 listed".
    for (const part of [none.text, none.html]) {
      expect(textWords(part)).toContain(
        '3 alerts (3 logins from a new network owner) are archived and not listed here: all are about events before 2026-11-17 10:00 -05:00 America/New_York. Query them',
      );
      expect(part).not.toMatch(/more alert|older than the 50/);
    }
  });

  it('says what the caller says of the alerts it only counts, where the archive would not be true', () => {
    const old = alert({ event_time_ms: NOW - 2 * 86_400_000, kind: 'new_network' });
    const unlisted: UnlistedAlerts = {
      subject: 'kept elsewhere',
      state: 'kept elsewhere, not here',
      howToList: (counted, instance) => ({ sentence: `Ask ${instance} for the ${counted.length}.` }),
    };
    const message = renderAlertMessage([old, alert({ event_time_ms: NOW - 60_000 })], {
      ...options,
      unlisted,
    });
    expect(message.subject).toBe('Security alerts (acme): 1 lockout, 1 login from a new network owner');
    expect(textWords(message.text)).toContain(
      '1 more alert (1 login from a new network owner) is kept elsewhere, not here: those about events before 2026-11-17 10:00 -05:00 America/New_York, and any older than the 50 listed. Ask acme for the 1.',
    );
    expect(message.text).not.toMatch(/archived|FROM alerts/);
    const one = renderAlertMessage([old], { ...options, unlisted });
    expect(one.subject).toBe(
      'Security alerts (acme): 1 earlier login from a new network owner kept elsewhere',
    );
    expect(textWords(one.text)).toContain(
      '1 alert (1 login from a new network owner) is kept elsewhere, not here: it is about events before 2026-11-17 10:00 -05:00 America/New_York. Ask acme for the 1.',
    );
  });

  it("offers the query to dig further in Athena by default, or as the caller's command, escaped in HTML", () => {
    const alerts = [alert({ event_time_ms: NOW - 60_000 })];
    const athena = renderAlertMessage(alerts, options);
    const query = digQuery('acme', alerts);
    expect(textWords(athena.text)).toContain(
      "To dig further, run in Athena (query editor, this stack's workgroup, with its Glue database chosen): SELECT",
    );
    expect(athena.text).toContain(`chosen):\n\n${query}\n`);
    const digFurther = { intro: 'Run <this>:', copy: (q: string) => `tool --sql "${q}"` };
    const local = renderAlertMessage(alerts, { ...options, digFurther });
    expect(local.text).toContain(`Run <this>:\n\ntool --sql "${query}"\n`);
    expect(local.text).not.toContain('Athena');
    // After the sentence saying the queries' times are in UTC (dig-further-utc.test.ts).
    expect(local.html).toContain(' Run &lt;this&gt;:</p>');
    expect(local.html).toContain('tool --sql &quot;SELECT event_time');
    expect(local.html).not.toContain('Athena');
  });

  it('wraps its text part at the weekly report text width, but for the lines to copy', () => {
    const long =
      'first login from network owner AS16509 (Amazon.com, Inc.) in 19 days of history; 2 owners known; network 13.206.48.0/24';
    const alerts = [
      alert({
        event_time_ms: NOW - 60_000,
        kind: 'new_network',
        evidence: long,
        user_name: 'Jamal Petrov',
        user_id: '1218445954',
      }),
      alert({ event_time_ms: NOW - 120_000, kind: 'unusual_hour', evidence: `${long}; ${long}` }),
      ...[1, 2].map((d) => alert({ event_time_ms: NOW - d * 86_400_000 - 1, kind: 'new_country' })),
    ];
    const digFurther = {
      intro: 'To dig further, run it with DuckDB over the lake, which reads it where it lies:',
      copy: (q: string) => `tool --sql "${q}"`,
    };
    const message = renderAlertMessage(alerts, { ...options, digFurther });
    const query = digFurther.copy(digQuery('acme', alerts.slice(0, 2)));
    const archiveQuery = /^SELECT \* FROM alerts WHERE .*$/m.exec(message.text)?.[0];
    const copied = new Set([...query.split('\n'), archiveQuery]);
    const wide = message.text.split('\n').filter((line) => line.length > TEXT_WIDTH && !copied.has(line));
    expect(wide).toEqual([]);
    expect(archiveQuery).toBeDefined();
    // The lines to copy are there whole, and at least one of them is wider than the text.
    expect(message.text).toContain(`\n${query}\n`);
    expect([...copied].some((line) => (line ?? '').length > TEXT_WIDTH)).toBe(true);
    // Wrapped between words: the words read as they did on one line.
    expect(textWords(message.text)).toContain(` ${long} IP: `);
  });
});
