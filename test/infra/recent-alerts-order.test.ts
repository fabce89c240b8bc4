import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../functions/core/alerts/alert.ts';
import { HOUR_MS, lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { RECENT_ALERTS_SQL } from '../../infra/constructs/alerts.ts';
import { queryAlertsArchive } from '../support/alerts-archive-table.ts';
import { trino } from '../support/trino-grammar.ts';

/** A burst alert of user `u<n>` at `ms`, in instance `main`. */
const burst = (n: number, ms: number): Alert => ({
  id: alertId('main', 'failed_login_burst', [`e${n}`]),
  instance: 'main',
  kind: 'failed_login_burst',
  user_id: `u${n}`,
  user_name: `User ${n}`,
  event_time: lakeTimestamp(ms),
  event_time_ms: ms,
  evidence: '5 failed logins in 10 minutes',
  ip_address: '203.0.113.9',
  event_ids: [`e${n}`],
});

// The saved query `recent_security_alerts` reads the last 7 days of the archive, one object per
// alert, which Athena reads in parallel: bursts against many users in the same millisecond tie
// on event_time.
describe('the saved query of recent alerts', () => {
  it('parses as Trino', () => {
    expect(trino.validate(RECENT_ALERTS_SQL)).toEqual([]);
  });

  it('lists alerts of the same time in one order, whatever order the archive stores them in', async () => {
    // An hour ago: the query reads the days from a week before the current date.
    const at = Date.now() - HOUR_MS;
    const tied = [1, 2, 3, 4].map((n) => burst(n, at));
    const newer = burst(5, at + 1000);
    const expected = [newer.id, ...tied.map((a) => a.id).sort()];
    const ids = async (stored: Alert[]) =>
      (await queryAlertsArchive(RECENT_ALERTS_SQL, stored)).map((r) => r.id);
    expect(await ids([...tied, newer])).toEqual(expected);
    expect(await ids([newer, ...tied].reverse())).toEqual(expected);
  });
});
