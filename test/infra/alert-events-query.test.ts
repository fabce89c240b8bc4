/**
 * The saved query `alert_events` (review R-ANALYST M3): from an alert of the archive to the
 * activity_log rows it names. Athena only (the local engine has no `alerts` view), so it is run
 * here on DuckDB over an archive table and an activity_log table of planted rows, as
 * `recent_security_alerts` is, and parsed with the Trino grammar.
 */
import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../functions/core/alerts/alert.ts';
import { inlineParameters, placeholderNames } from '../../functions/core/queries/query-definition.ts';
import { ALERT_EVENTS_SQL } from '../../infra/constructs/alert-events-sql.ts';
import { event, login } from '../queries/support/lake-fixture.ts';
import { trinoParametersOutsideWhere } from '../queries/support/trino-verdicts.ts';
import { queryAlertsArchive } from '../support/alerts-archive-table.ts';
import { trino } from '../support/trino-grammar.ts';

const sam = { user_id: '1141446289', user_name: 'Sam Hopper', ip_address: '45.33.32.157' };
// Four failures before UTC midnight, the sign-in after it: the alert is filed under its sign-in's day.
const failures = ['23:50', '23:52', '23:54', '23:56'].map((t) =>
  login(`2026-11-25 ${t}`, 'login_failed', sam),
);
const signIn = login('2026-11-26 00:04', 'login', sam);
// Sam's other events of those days, and one of another instance's user naming the same event id.
const others = [
  event('2026-11-25 22:00', sam),
  event('2026-11-26 00:10', sam),
  event('2026-11-24 12:00', sam),
];

const alert: Alert = {
  id: alertId('main', 'login_after_failures', [signIn.event_id]),
  instance: 'main',
  kind: 'login_after_failures',
  user_id: sam.user_id,
  user_name: sam.user_name,
  event_time: signIn.event_time,
  event_time_ms: signIn.event_time_ms,
  evidence: 'signed in after 4 failed logins in the hour before (23:50 to 23:56 UTC) from IP 45.33.32.157',
  ip_address: sam.ip_address,
  event_ids: [...failures, signIn].map((e) => e.event_id),
};

const run = (values: Record<string, string>, alerts: Alert[] = [alert]) =>
  queryAlertsArchive(
    inlineParameters(
      ALERT_EVENTS_SQL,
      placeholderNames(ALERT_EVENTS_SQL).map((name) => values[name ?? ''] ?? ''),
    ),
    alerts,
    undefined,
    { instance: 'main', records: [...others, ...failures, signIn] },
  );

describe('the saved query alert_events', () => {
  it('parses as Trino, each ? named, in the WHERE clause only', async () => {
    expect(trino.validate(ALERT_EVENTS_SQL)).toEqual([]);
    expect(await trinoParametersOutsideWhere(ALERT_EVENTS_SQL)).toBe(0);
    expect(placeholderNames(ALERT_EVENTS_SQL)).toEqual(['alert_id', 'alert_dt', 'alert_dt', 'alert_dt']);
  });

  it("lists the alert's events, oldest first, the day before its own included", async () => {
    const rows = await run({ alert_id: alert.id, alert_dt: '2026-11-26' });
    expect(rows.map((r) => r.event_id)).toEqual(alert.event_ids);
    expect(rows.map((r) => r.dt)).toEqual([...failures.map(() => '2026-11-25'), '2026-11-26']);
    expect(rows[0]).toMatchObject({
      kind: 'login_after_failures',
      category: 'login_failed',
      user_id: sam.user_id,
    });
  });

  it('lists nothing for another id or another day', async () => {
    expect(await run({ alert_id: 'f'.repeat(32), alert_dt: '2026-11-26' })).toEqual([]);
    expect(await run({ alert_id: alert.id, alert_dt: '2026-11-25' })).toEqual([]);
  });

  it("reads no event of another instance's", async () => {
    const elsewhere = { ...alert, instance: 'other', id: alertId('other', alert.kind, [signIn.event_id]) };
    expect(await run({ alert_id: elsewhere.id, alert_dt: '2026-11-26' }, [elsewhere])).toEqual([]);
  });

  it("gives each row the alert's spray key, address texts and names; null for other alerts", async () => {
    const spray: Alert = {
      ...alert,
      id: alertId(
        'main',
        'password_spray',
        failures.map((e) => e.event_id),
      ),
      kind: 'password_spray',
      user_id: null,
      event_ids: failures.map((e) => e.event_id),
      spray_key: 'SLOW 45.33.32.157',
      ip_addresses: ['45.33.32.157:50001', '45.33.32.157, 10.0.0.1'],
      user_names: ['Sam Hopper', 'sam hopper'],
    };
    const rows = await run({ alert_id: spray.id, alert_dt: '2026-11-26' }, [spray, alert]);
    expect(rows).toHaveLength(failures.length);
    expect(rows[0]).toMatchObject({
      spray_key: 'SLOW 45.33.32.157',
      ip_addresses: ['45.33.32.157:50001', '45.33.32.157, 10.0.0.1'],
      user_names: ['Sam Hopper', 'sam hopper'],
    });
    const plain = await run({ alert_id: alert.id, alert_dt: '2026-11-26' }, [spray, alert]);
    expect(plain[0]).toMatchObject({ spray_key: null, ip_addresses: null, user_names: null });
  });
});
