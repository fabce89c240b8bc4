import { describe, expect, it } from 'vitest';
import { describeLocalAlerts, type LocalAlerts } from '../../functions/cli/commands/alerts.ts';
import { displayWidth } from '../../functions/core/display-width.ts';
import { alertOf } from '../core/alerts/support/alert-fixtures.ts';

const lockout = alertOf();

describe("the demo's alerts summary on a terminal exactly as wide as its table", () => {
  it('keeps the columns apart: a line that fits exactly is not rewrapped', () => {
    const result = { summary: { raised: [lockout] } } as unknown as LocalAlerts;
    const since = Date.parse('2026-11-02T00:00:00Z');
    const whole = describeLocalAlerts(result, 'UTC', since).split('\n');
    const width = Math.max(...whole.map(displayWidth));
    expect(whole[2]).toBe('  2026-11-02 08:15  lockout  Ada Lovelace (u1)  locked out after 7 failed logins');
    expect(describeLocalAlerts(result, 'UTC', since, width).split('\n')).toEqual(whole);
  });

  it('fits the table within the terminal less its indent, so a line one column too wide keeps its gaps', () => {
    const result = { summary: { raised: [lockout] } } as unknown as LocalAlerts;
    const since = Date.parse('2026-11-02T00:00:00Z');
    expect(describeLocalAlerts(result, 'UTC', since, 79).split('\n')).toEqual([
      'alerts since 2026-11-02 00:00 UTC: 1',
      '  time (UTC)        alert    user               evidence',
      '  2026-11-02 08:15  lockout  Ada Lovelace (u1)  locked out after 7 failed',
      '                                                logins',
    ]);
  });
});
