import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../functions/core/alerts/alert.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
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

  it('lists an alert detected lately about an older event, and none older than 90 days', async () => {
    // An alert detected an hour ago about an event 20 days old (a late lockout a re-pull found):
    // the archive files it under the event's date, which the 7 days of partitions missed.
    const now = Date.now();
    const lateFound = burst(1, now - 20 * 24 * HOUR_MS);
    const oldSeenOld = burst(2, now - 20 * 24 * HOUR_MS - HOUR_MS);
    const tooOld = burst(3, now - 100 * 24 * HOUR_MS);
    const fresh = burst(4, now - HOUR_MS);
    const detected = new Map([
      [lateFound.id, now - HOUR_MS],
      [oldSeenOld.id, oldSeenOld.event_time_ms + 30 * 60_000],
      [tooOld.id, now - HOUR_MS],
      [fresh.id, now - 30 * 60_000],
    ]);
    const rows = await queryAlertsArchive(
      RECENT_ALERTS_SQL,
      [lateFound, oldSeenOld, tooOld, fresh],
      (a) => detected.get(a.id) ?? a.event_time_ms,
    );
    expect(rows.map((r) => r.id)).toEqual([fresh.id, lateFound.id]);
  });

  // Review R-ALFIX L7: ordered by event time, an alert detected today about an event 20 days old
  // sank below every alert of the last week, though it is the newest news.
  it('lists the latest detected first, an old event found today above last week', async () => {
    const now = Date.now();
    const lateFound = burst(1, now - 20 * 24 * HOUR_MS);
    const lastWeek = burst(2, now - 3 * 24 * HOUR_MS);
    const detected = new Map([
      [lateFound.id, now - 10 * 60_000],
      [lastWeek.id, lastWeek.event_time_ms + 30 * 60_000],
    ]);
    const rows = await queryAlertsArchive(
      RECENT_ALERTS_SQL,
      [lastWeek, lateFound],
      (a) => detected.get(a.id) ?? a.event_time_ms,
    );
    expect(rows.map((r) => r.id)).toEqual([lateFound.id, lastWeek.id]);
  });
});
