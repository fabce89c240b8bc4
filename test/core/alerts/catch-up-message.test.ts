/**
 * Review R-PHONE M5: a catch-up's mail, listing none, was titled `13 earlier alerts not listed`,
 * hiding the lockout and the spray among them until opened, and its command to list them sat in
 * the paragraph, wrapping mid-path. The subject now names the kinds, and the command (or the
 * archive query) is in a box of its own, as the query to dig further is.
 */
import { describe, expect, it } from 'vitest';
import type { AlertKind } from '../../../functions/core/alerts/alert.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { alertOf } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-11-30T00:00:00Z');
const options = { instance: 'main', timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };
const old = (kind: AlertKind, i: number) =>
  alertOf({ id: `${kind}-${i}`.padEnd(32, '0'), kind, event_time_ms: NOW - (3 + i) * 86_400_000 });

describe('a message of earlier alerts only', () => {
  const mixed = [
    old('unusual_hour', 0),
    old('unusual_hour', 1),
    old('password_spray', 2),
    old('lockout', 3),
    old('new_network', 4),
  ];

  it('names the rarer kinds in its subject, the rest as a count', () => {
    expect(renderAlertMessage(mixed, options).subject).toBe(
      'Security alerts (main): 5 earlier, archived: 1 password spray, 1 lockout, +3',
    );
  });

  it('names the kind alone when all are of one', () => {
    const lockouts = [old('lockout', 0), old('lockout', 1)];
    expect(renderAlertMessage(lockouts, options).subject).toBe(
      'Security alerts (main): 2 earlier lockouts archived',
    );
  });

  it('counts them by kind in the order of the count line above', () => {
    const { text } = renderAlertMessage(mixed, options);
    expect(text.replace(/\s+/g, ' ')).toContain(
      '5 alerts (1 password spray, 1 lockout, 1 login from a new network owner, 2 logins at an unusual hour) are archived',
    );
  });

  it('gives the way to list them in a box of its own, below its sentence', () => {
    const { html } = renderAlertMessage(mixed, options);
    expect(html).toMatch(
      /Query them in Athena \([^)]*\):<\/p>\n<pre style="background:#f4f4f4;[^"]*">SELECT \* FROM alerts WHERE instance = &#39;main&#39;/,
    );
  });
});
