/**
 * failed_logins_by_network.sql holds, over the period, every wider group a password_spray alert is
 * raised of (spray-groups.ts: a /24 or /48 network, a network owner, names of no user from any
 * address), and failed_logins_by_ip the slow spray's one address; with the sign-ins from there.
 * Planted lake on disk, read by DuckDB; the detector run hour by hour with the checkpoint's record.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../functions/core/alerts/alert-event.ts';
import { detectPasswordSprays } from '../../functions/core/alerts/detect-password-spray.ts';
import { LoginProfile } from '../../functions/core/alerts/login-profile.ts';
import { addRaisedSpray, type RaisedSprays } from '../../functions/core/alerts/raised-sprays.ts';
import { sprayGroupOfAlert } from '../../functions/core/alerts/spray-groups.ts';
import type { EventCategory } from '../../functions/core/domo/event-category.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { failedLoginsByNetwork } from './support/expected-answers.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { login } from './support/lake-fixture.ts';

const H = Date.parse('2026-11-02T21:00:00Z');
const FROM = H - 2 * HOUR_MS;
const TO = H + 4 * HOUR_MS;
const SEC = 1000;
const MIN = 60 * SEC;

const when = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
let serial = 0;
const at = (
  ms: number,
  category: EventCategory,
  user: string | null,
  name: string,
  ip: string,
  asn: number,
) =>
  login(when(ms), category, {
    event_id: `${category}-${String(++serial).padStart(5, '0')}`,
    user_id: user,
    user_name: name,
    ip_address: ip,
    ip_country: 'GB',
    ip_asn: asn,
    ip_org: asn === 14061 ? 'DigitalOcean, LLC' : `Owner ${asn}`,
    geo_db_version: '2026-11',
  });

const events: EventRecord[] = [
  // 40 users of the instance from 40 addresses of one /24, 10 s apart: a network's spray.
  ...Array.from({ length: 40 }, (_, i) =>
    at(H + i * 10 * SEC, 'login_failed', `u${i}`, `user${i}@corp.com`, `178.62.10.${i + 1}`, 14061),
  ),
  // One of them signs in from that /24 afterwards.
  at(H + 20 * MIN, 'login', 'u3', 'user3@corp.com', '178.62.10.4', 14061),
  // 35 names of no user, each from its own /24 of one owner: the owner's spray.
  ...Array.from({ length: 35 }, (_, i) =>
    at(H + HOUR_MS + i * 12 * SEC, 'login_failed', '0', `guess${i}@corp.com`, `104.248.${i}.9`, 16509),
  ),
  // 32 names of no user from 32 owners (a botnet): the spray under names of no user.
  ...Array.from({ length: 32 }, (_, i) =>
    at(
      H + 2 * HOUR_MS + i * 15 * SEC,
      'login_failed',
      null,
      `bot${i}@corp.com`,
      `${20 + i}.7.7.7`,
      64500 + i,
    ),
  ),
  // 22 users from one address, one every 150 s: a slow spray of one address.
  ...Array.from({ length: 22 }, (_, i) =>
    at(H - HOUR_MS + i * 150 * SEC, 'login_failed', `s${i}`, `slow${i}@corp.com`, '45.33.32.156', 63949),
  ),
  // An IPv6 /48 over four /64s: 30 users.
  ...Array.from({ length: 30 }, (_, i) =>
    at(
      H + 3 * HOUR_MS + i * 10 * SEC,
      'login_failed',
      `v${i}`,
      `v${i}@corp.com`,
      `2a03:b0c0:3:${i % 4}::${i + 1}`,
      14062,
    ),
  ),
  // An office /24 with a few users mistyping: below every bar.
  ...[0, 1, 2].map((i) =>
    at(H + i * MIN, 'login_failed', `o${i}`, `o${i}@corp.com`, `81.2.69.${i + 10}`, 2856),
  ),
];

/** The sprays of every hour of the period, one hour at a time with the checkpoint's record. */
function hourByHour(): Alert[] {
  const raisedSprays: RaisedSprays = {};
  const alerts: Alert[] = [];
  for (let hour = FROM; hour < TO; hour += HOUR_MS) {
    const found = detectPasswordSprays({
      instance: 'default',
      fromMs: hour,
      toMs: hour + HOUR_MS,
      events: events.filter(
        (e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS,
      ) as AlertEvent[],
      before: events.filter(
        (e) => e.event_time_ms >= hour - HOUR_MS && e.event_time_ms < hour,
      ) as AlertEvent[],
      profile: new LoginProfile('default', 'UTC'),
      settings: DEFAULT_ALERT_SETTINGS,
      raisedSprays,
    });
    for (const alert of found) addRaisedSpray(raisedSprays, alert);
    alerts.push(...found);
  }
  return alerts;
}

const lake = useFixtureEngine('failed-by-network-', { events });

const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO, limit: 100 });
const SCOPE_KIND = { network: 'network', owner: 'owner', instance: 'no_user' } as const;

describe('failed_logins_by_network holds every wider spray the alerts raise (DuckDB)', () => {
  it('each network, owner and no-user spray is a row with at least its users', async () => {
    const rows = (await lake.engine.run('failed_logins_by_network', params)).rows;
    const byIp = (await lake.engine.run('failed_logins_by_ip', params)).rows;
    const sprays = hourByHour().filter((a) => a.kind === 'password_spray');
    const groups = sprays.map((a) => ({ alert: a, group: sprayGroupOfAlert(a) }));
    // Every level is there: a network (v4 and v6), an owner, names of no user, the slow address.
    expect(new Set(groups.map(({ group }) => `${group?.scope}${group?.slow ? ' slow' : ''}`))).toEqual(
      new Set(['network', 'owner', 'instance', 'address slow']),
    );
    for (const { alert, group } of groups) {
      const users = Number(/^failed logins of (\d+) users/.exec(alert.evidence)?.[1]);
      if (group?.scope === 'address') {
        const row = byIp.find((r) => r.ip_address === group.group);
        expect(Number(row?.users), alert.evidence).toBeGreaterThanOrEqual(users);
        continue;
      }
      const kind = SCOPE_KIND[group?.scope as keyof typeof SCOPE_KIND];
      const row = rows.find((r) => r.kind === kind && r.grp === group?.group);
      expect(Number(row?.users), alert.evidence).toBeGreaterThanOrEqual(users);
    }
  });

  it('counts users, addresses and the sign-ins from each group; none below 5 users', async () => {
    const rows = (await lake.engine.run('failed_logins_by_network', params)).rows;
    expect(rows).toEqual(failedLoginsByNetwork(events, { instance: 'default', fromMs: FROM, toMs: TO }, 100));
    const row = (kind: string, grp: string) => rows.find((r) => r.kind === kind && r.grp === grp);
    expect(row('network', '178.62.10.0/24')).toMatchObject({
      users: 40,
      failed_attempts: 40,
      addresses: 40,
      sign_ins: 1,
      signed_in_users: 1,
    });
    expect(row('owner', 'AS14061')).toMatchObject({ org: 'DigitalOcean, LLC', users: 40, sign_ins: 1 });
    expect(row('owner', 'AS16509')).toMatchObject({ users: 35, addresses: 35, sign_ins: 0 });
    expect(row('network', '2a03:b0c0:3::/48')).toMatchObject({ users: 30, addresses: 4 });
    // Names of no user from any address: the owner's 35 under id 0 and the botnet's 32.
    expect(row('no_user', 'any address')).toMatchObject({ users: 67, org: null, sign_ins: 0 });
    expect(rows.some((r) => String(r.grp).startsWith('81.2.69.'))).toBe(false);
    expect(rows.map((r) => r.kind)).toEqual([...rows.map((r) => r.kind)].sort((a, b) => order(a) - order(b)));
    // limit cuts each kind apart; kind_rows counts them all.
    const cut = (await lake.engine.run('failed_logins_by_network', { ...params, limit: '1' })).rows;
    expect(cut.map((r) => [r.kind, r.grp, r.kind_rows])).toEqual([
      // The /24, the slow address's and the /48; four owners.
      ['network', '178.62.10.0/24', 3],
      ['owner', 'AS14061', 4],
      ['no_user', 'any address', 1],
    ]);
  });
});

const order = (kind: unknown) => ['network', 'owner', 'no_user'].indexOf(String(kind));
