/**
 * failed_logins_and_lockouts.distinct_ips tells addresses apart as failed_logins_by_ip and the
 * alerts do (ip-network.ts, addressKey): one client written alone and through a proxy is one IP.
 * Review R-QUERIES M1: Eve's three failures from `3.3.3.3`, `3.3.3.3, 10.0.0.5` and
 * `192.168.1.2, 3.3.3.3` counted 3 IPs (truth 1), and the weekly report's "IPs" column said 3.
 */
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../functions/core/alerts/ip-network.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { Prng } from '../../functions/simulator/index.ts';
import { openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const failedFrom = (ms: number, user: string, ip: string | null, category: 'login_failed' | 'lockout') =>
  event(lakeTimestamp(ms), { category, action_type: 'LOGIN_FAILED', user_id: user, ip_address: ip });

describe('failed_logins_and_lockouts counts a client once however its address is written', () => {
  it('one IP for a forwarded-for list in three spellings, IPv6 by its /64, none for white space', async () => {
    const at = (minute: number) => FROM + 86_400_000 + minute * 60_000;
    const events = [
      // Eve (1005): the reviewer's three spellings, then a lockout through another proxy hop.
      ...['3.3.3.3', '3.3.3.3, 10.0.0.5', '192.168.1.2, 3.3.3.3'].map((ip, i) =>
        failedFrom(at(i), '1005', ip, 'login_failed'),
      ),
      failedFrom(at(3), '1005', '3.3.3.3:50123, 10.0.0.1', 'lockout'),
      // 1006: two hosts of one /64, written two ways, and a second address: 2 IPs.
      failedFrom(at(10), '1006', '2a00:1450:4001:81c::1', 'login_failed'),
      failedFrom(at(11), '1006', '[2A00:1450:4001:081C:0:0:0:2]:443', 'login_failed'),
      failedFrom(at(12), '1006', '8.8.8.8', 'login_failed'),
      // 1007: no address, or white space only: none.
      failedFrom(at(20), '1007', null, 'login_failed'),
      failedFrom(at(21), '1007', ' \t', 'login_failed'),
    ];
    const lake = await openFixtureEngine('failed-logins-distinct-ips-', { events });
    try {
      const { rows } = await lake.engine.run('failed_logins_and_lockouts', standardParams(period));
      expect(rows.map((r) => [r.user_id, r.failed_attempts, r.lockouts, r.distinct_ips])).toEqual([
        ['1005', 3, 1, 1],
        ['1006', 3, 0, 2],
        ['1007', 2, 0, 0],
      ]);
    } finally {
      await lake.close();
    }
  });

  it('names the first 3 addresses by their keys, in text order (R-USER: a lockout from its own address)', async () => {
    const at = (minute: number) => FROM + 86_400_000 + minute * 60_000;
    const events = [
      ...['9.9.9.9', '3.3.3.3, 10.0.0.5', '[2A00:1450:4001:081C:0:0:0:2]:443', '5.5.5.5', '4.4.4.4'].map(
        (ip, i) => failedFrom(at(i), '1005', ip, 'login_failed'),
      ),
      failedFrom(at(10), '1006', '3.76.228.63', 'lockout'),
      failedFrom(at(11), '1007', ' ', 'login_failed'),
    ];
    const lake = await openFixtureEngine('failed-logins-ips-', { events });
    try {
      const { rows } = await lake.engine.run('failed_logins_and_lockouts', standardParams(period));
      expect(rows.map((r) => [r.user_id, r.distinct_ips, r.ips])).toEqual([
        ['1006', 1, '3.76.228.63'],
        ['1005', 5, '2a00:1450:4001:81c::/64\u001f3.3.3.3\u001f4.4.4.4'],
        ['1007', 0, null],
      ]);
    } finally {
      await lake.close();
    }
  });

  it('counts random lists as addressKey tells them apart', async () => {
    const rng = new Prng('distinct-ips-by-key');
    const pool = [
      ...['5.6.7.8', '5.6.7.8:443', '::ffff:5.6.7.8', '[::FFFF:5.6.7.8]:80', '10.0.0.1', 'x.1', ''],
      ...[' ', 'UNKNOWN', 'unknown', 'fe80::2', '1.1.1.1', '2a00:1::1', '[2A00:1::1]:443', '2a00:1::5'],
      ...['2a00:1450:4001:81c::1', '2A00:1450:4001:081C:0:0:0:2', '3fff::1', '2001:db8::2', '\u00a05.6.7.8'],
    ];
    // 40 users, each with 1 to 6 failures from random lists of 1 to 3 entries.
    const users = Array.from({ length: 40 }, (_, u) =>
      Array.from({ length: rng.int(1, 6) }, () =>
        Array.from({ length: rng.int(1, 3) }, () => rng.pick(pool)).join(rng.pick([',', ', '])),
      ).map((ip, i) => failedFrom(FROM + (u * 10 + i) * 60_000, `u${u}`, ip, 'login_failed')),
    );
    const expected = new Map(
      users.map((list, u) => {
        const keys = list.map((e) => addressKey(e.ip_address)).filter((k) => k !== null && k !== '');
        return [`u${u}`, new Set(keys).size];
      }),
    );
    const lake = await openFixtureEngine('failed-logins-distinct-random-', { events: users.flat() });
    try {
      const { rows } = await lake.engine.run('failed_logins_and_lockouts', standardParams(period));
      expect(new Map(rows.map((r) => [r.user_id, r.distinct_ips]))).toEqual(expected);
      // The pool's spellings do merge: far fewer IPs than distinct texts.
      const texts = users.reduce((sum, list) => sum + new Set(list.map((e) => e.ip_address)).size, 0);
      const keyed = [...expected.values()].reduce((sum, n) => sum + n, 0);
      expect(keyed).toBeLessThan(texts);
    } finally {
      await lake.close();
    }
  });
});

describe('a failure whose address text names none (review R-QUERIES L1)', () => {
  it('counts no IP for "", "unknown", "-", and makes no address of many users', async () => {
    const at = (minute: number) => FROM + 86_400_000 + minute * 60_000;
    const events = [
      ...['', 'unknown', '-', 'UNKNOWN', 'unknown, -'].map((ip, i) =>
        failedFrom(at(i), '1005', ip, 'login_failed'),
      ),
      failedFrom(at(5), '1005', 'unknown, 3.3.3.3', 'login_failed'),
      // Six users failing from `unknown`: unrelated users, no address's row.
      ...['1', '2', '3', '4', '5', '6'].map((u, i) => failedFrom(at(10 + i), u, 'unknown', 'login_failed')),
    ];
    const lake = await openFixtureEngine('failed-logins-no-address-', { events });
    try {
      const failed = await lake.engine.run('failed_logins_and_lockouts', standardParams(period));
      expect(failed.rows.find((r) => r.user_id === '1005')).toMatchObject({
        failed_attempts: 6,
        distinct_ips: 1,
      });
      expect(failed.rows.find((r) => r.user_id === '1')).toMatchObject({
        failed_attempts: 1,
        distinct_ips: 0,
      });
      const byIp = await lake.engine.run('failed_logins_by_ip', standardParams(period));
      expect(byIp.rows).toEqual([]);
    } finally {
      await lake.close();
    }
  });
});
