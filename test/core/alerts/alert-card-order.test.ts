/**
 * Review R-PHONE H1: a catch-up of 48 alerts listed them newest first, four logins at an unusual
 * hour before the spray and the login after failed logins twelfth, with no line saying what the
 * mail holds. The cards now come failures first, in the subject's ranking, newest first within a
 * kind, below a count by kind; the failure kinds' labels are marked; the text part says the same.
 */
import { describe, expect, it } from 'vitest';
import type { AlertKind } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-18T15:00:00Z');
const options = { instance: 'acme', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };
const at = (kind: AlertKind, minutesAgo: number, id: string) =>
  alertOf({ id, kind, event_time_ms: NOW - minutesAgo * 60_000 });

// Newest first these were: two unusual hours, a new country, the spray, the takeover, the burst, the lockout.
const alerts = [
  at('unusual_hour', 1, 'u1'),
  at('unusual_hour', 2, 'u2'),
  at('new_country', 3, 'c1'),
  at('password_spray', 4, 's1'),
  at('login_after_failures', 5, 't1'),
  at('failed_login_burst', 7, 'b1'),
  at('lockout', 6, 'k1'),
  at('unusual_hour', 30, 'u3'),
];
const message = renderAlertMessage(alerts, options);
const htmlKinds = [...message.html.matchAll(/<h2 [^>]*><b[^>]*>([^<]+)<\/b>/g)].map((m) => m[1]);
const textIds = [...message.text.matchAll(/; alert (\S+)\n/g)].map((m) => m[1]);

describe('the alerts mail with alerts of several kinds', () => {
  it('shows the failures first in the subject ranking, then the rest, newest first within a kind', () => {
    expect(htmlKinds).toEqual([
      'login after failed logins',
      'password spray',
      'lockout',
      'failed-login burst',
      'login from a new country',
      'login at an unusual hour',
      'login at an unusual hour',
      'login at an unusual hour',
    ]);
    expect(textIds).toEqual(['t1', 's1', 'k1', 'b1', 'c1', 'u1', 'u2', 'u3']);
    expect(message.html).toContain('Alerts, failed logins first, then by kind, newest first within a kind');
    expect(message.text).toMatch(
      /^Security alerts for the Domo instance acme, failed logins first, then by\nkind/,
    );
  });

  it('counts every alert by kind, in the same order, above the first card', () => {
    const line =
      '8 alerts: 1 login after failed logins · 1 password spray · 1 lockout · 1 failed-login burst · 1 login from a new country · 3 logins at an unusual hour';
    const html = message.html.replaceAll('\n', ' ');
    expect(html.indexOf(`<b>${line}</b>`)).toBeGreaterThan(0);
    expect(html.indexOf(`<b>${line}</b>`)).toBeLessThan(html.indexOf('<h2'));
    const text = message.text.replaceAll('\n', ' ');
    expect(text.indexOf(line)).toBeGreaterThan(0);
    expect(text.indexOf(line)).toBeLessThan(text.indexOf('; alert'));
  });

  it('marks the failure kinds with a red label, and only them', () => {
    const marked = [...message.html.matchAll(/<b style="background-color:#b3261e;[^"]*">([^<]+)<\/b>/g)];
    expect(marked.map((m) => m[1])).toEqual([
      'login after failed logins',
      'password spray',
      'lockout',
      'failed-login burst',
    ]);
  });

  it('shows a sign-in from a spraying address among the failures, right after the takeover', () => {
    const sprayed = renderAlertMessage([...alerts, at('login_after_spray', 40, 'p1')], options);
    const kinds = [...sprayed.html.matchAll(/<h2 [^>]*><b[^>]*>([^<]+)<\/b>/g)].map((m) => m[1]);
    expect(kinds.slice(0, 3)).toEqual([
      'login after failed logins',
      'login from a spraying address',
      'password spray',
    ]);
    const marked = [...sprayed.html.matchAll(/<b style="background-color:#b3261e;[^"]*">([^<]+)<\/b>/g)];
    expect(marked.map((m) => m[1])).toContain('login from a spraying address');
  });

  it('has no count line for a single alert', () => {
    const one = renderAlertMessage([at('lockout', 5, 'k1')], options);
    expect(one.text).not.toMatch(/\d+ alerts?:/);
    expect(one.html).not.toMatch(/\d+ alerts?:/);
  });
});
