/**
 * The query to dig further covers the day before the earliest alert too: what led to an alert
 * (the failures before a lockout, the sign-ins before a journey) may be on the previous UTC day.
 * And the day after the newest: what the attacker did next may be on the next UTC day.
 */
import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';

const lockoutAt = (ms: number): Alert => ({
  id: alertId('acme', 'lockout', [String(ms)]),
  instance: 'acme',
  kind: 'lockout',
  user_id: '42',
  user_name: 'Ann',
  event_time: lakeTimestamp(ms),
  event_time_ms: ms,
  evidence: 'locked out after 6 failed logins in the hour before, from IP 203.0.113.7',
  ip_address: '203.0.113.7',
  event_ids: [String(ms)],
});

describe('digQuery: the days it covers', () => {
  it('from the UTC day before the earliest alert to the day after the latest', () => {
    const alerts = [
      lockoutAt(Date.parse('2026-11-18T00:10:00Z')),
      lockoutAt(Date.parse('2026-11-19T23:50:00Z')),
    ];
    expect(digQuery('acme', alerts)).toContain("AND dt BETWEEN '2026-11-17' AND '2026-11-20'");
  });

  it('an alert at 23:41 UTC, mailed after midnight, shows the hours after midnight', () => {
    const query = digQuery('acme', [lockoutAt(Date.parse('2026-11-18T23:41:00Z'))]);
    expect(query).toContain("AND dt BETWEEN '2026-11-17' AND '2026-11-19'");
  });
});
