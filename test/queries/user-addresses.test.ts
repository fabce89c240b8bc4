/**
 * user_addresses, an incident responder's first questions about a user (where from, and who else
 * came from there) in one answer: a fortnight of one user's timeline runs to a thousand rows, and
 * address_activity takes one address at a time (incident-responder review IR, 2026-12-06). On
 * DuckDB over a fixture lake: one row per address the user's events came from, the spellings of
 * one client (a port, brackets, a proxy hop) one row, with the other users from the same address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { loadQuery } from '../../functions/queries/catalog.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const suspect = { user_id: '7', user_name: 'Ivan' };
const intruder = '18.231.24.189';
const login = { action_type: 'LOGGED_IN', event_text: 'Logged in', category: 'login' as const };
const failed = {
  action_type: 'LOGIN_FAILED',
  event_text: 'Failed login attempt',
  category: 'login_failed' as const,
};

let lake: FixtureEngine;
beforeAll(async () => {
  const events = [
    // The user's own: home, then the intruder's address in three spellings, a failure, no address.
    event('2026-11-24 16:53:00', {
      ...suspect,
      ...login,
      ip_address: '107.200.115.245',
      ip_country: 'US',
      ip_asn: 7018,
    }),
    event('2026-11-24 18:09:00', {
      ...suspect,
      ...failed,
      ip_address: intruder,
      ip_country: 'BR',
      ip_asn: 16509,
    }),
    event('2026-11-24 18:10:00', {
      ...suspect,
      ...login,
      ip_address: `${intruder}:61000`,
      ip_country: 'BR',
      ip_asn: 16509,
    }),
    event('2026-11-24 18:11:00', {
      ...suspect,
      ip_address: `10.0.0.1, ${intruder}`,
      ip_country: null,
      ip_asn: null,
    }),
    event('2026-11-24 18:30:00', { ...suspect, ip_address: null }),
    // Made by the user acting as another (actor_id): the user's address too.
    event('2026-11-24 19:00:00', {
      user_id: '9',
      user_name: 'Cy',
      actor_id: '7',
      actor_name: 'Ivan',
      ip_address: '5.6.7.8',
    }),
    // Done to the user by an admin: the admin's address, not the user's.
    event('2026-11-24 19:05:00', {
      user_id: '8',
      user_name: 'Bo',
      object_type: 'USER',
      object_id: '7',
      action_type: 'CHANGED',
      ip_address: '9.9.9.9',
    }),
    // Others from the intruder's address: one by id (a sign-in, with a port), one by name only (id 0).
    event('2026-11-25 09:00:00', { user_id: '8', user_name: 'Bo', ...login, ip_address: `${intruder}:443` }),
    event('2026-11-25 09:01:00', { user_id: '8', user_name: 'Bo', ip_address: `${intruder}, 10.0.0.2` }),
    event('2026-11-26 03:00:00', { user_id: '0', user_name: 'guess', ...failed, ip_address: intruder }),
    // Not the same address (its digits only), nor in the period, nor an address at all.
    event('2026-11-25 10:00:00', { user_id: '10', user_name: 'Di', ip_address: '18.231.24.18' }),
    event('2026-12-01 10:00:00', { user_id: '11', user_name: 'Ed', ip_address: intruder }),
    event('2026-11-25 11:00:00', { user_id: '12', user_name: 'Fa', ip_address: null }),
    // A user whose latest placed event there has no owner: shown without one, not the earlier's.
    event('2026-11-25 12:00:00', {
      user_id: '13',
      user_name: 'Gu',
      ip_address: '31.13.64.1',
      ip_country: 'US',
      ip_asn: 32934,
      ip_org: 'Facebook, Inc.',
    }),
    event('2026-11-25 12:05:00', {
      user_id: '13',
      user_name: 'Gu',
      ip_address: '31.13.64.1',
      ip_country: 'IE',
      ip_asn: null,
      ip_org: null,
    }),
    // Brackets round an IPv4 address: text (the geo lookup's reading), not the bare address's row.
    event('2026-11-25 13:00:00', { user_id: '14', user_name: 'Hu', ip_address: '[31.13.64.2]:443' }),
    event('2026-11-25 13:01:00', { user_id: '15', user_name: 'Io', ip_address: '31.13.64.2' }),
  ];
  lake = await openFixtureEngine('user-addresses-', { events, instance: 'main' });
});
afterAll(async () => {
  await lake?.close();
});

const week = standardParams({
  instance: 'main',
  fromMs: Date.parse('2026-11-23T00:00:00Z'),
  toMs: Date.parse('2026-11-30T00:00:00Z'),
});

const addressesOf = async (userId: string) =>
  (await lake.engine.run('user_addresses', { ...week, user_id: userId })).rows;

describe('user_addresses: where a user came from, and who else came from there', () => {
  it("lists one row per address of the user's events, one client's spellings one row, in order of the first", async () => {
    const rows = await addressesOf('7');
    expect(rows.map((r) => [r.ip_address, r.events, r.sign_ins, r.failed_logins])).toEqual([
      ['107.200.115.245', 1, 1, 0],
      [`10.0.0.1, ${intruder}`, 3, 1, 1],
      ['', 1, 0, 0],
      ['5.6.7.8', 1, 0, 0],
    ]);
    expect(rows.map((r) => r.total_rows)).toEqual([4, 4, 4, 4]);
    // Placed by the user's latest placed event there: the intruder's latest one is unplaced.
    expect(rows.map((r) => [r.country, r.asn])).toEqual([
      ['US', 7018],
      ['BR', 16509],
      [null, null],
      [null, null],
    ]);
  });

  it('gives the first and last event of the user from each address', async () => {
    const [, intruderRow] = await addressesOf('7');
    expect(String(intruderRow?.first_time)).toContain('2026-11-24 18:09:00');
    expect(String(intruderRow?.last_time)).toContain('2026-11-24 18:11:00');
  });

  it('names the other users of the period from the same address, by id or by name, and counts their sign-ins', async () => {
    const rows = await addressesOf('7');
    expect(rows.map((r) => [r.other_users, r.other_sign_ins, r.other_user_names ?? null])).toEqual([
      [0, 0, null],
      [2, 1, 'Bo (8), guess (0)'],
      [0, 0, null],
      [0, 0, null],
    ]);
  });

  it("lists nothing for a user with no event, and the admin's address for the admin", async () => {
    expect(await addressesOf('99')).toEqual([]);
    const admin = await addressesOf('8');
    expect(admin.map((r) => [r.ip_address, r.events, r.other_users, r.other_user_names])).toEqual([
      ['9.9.9.9', 1, 0, null],
      [`${intruder}, 10.0.0.2`, 2, 2, 'Ivan (7), guess (0)'],
    ]);
  });

  it("places an address by the user's latest placed event there, its owner unknown if that event's is", async () => {
    const rows = await addressesOf('13');
    expect(rows.map((r) => [r.ip_address, r.country, r.asn, r.org, r.events])).toEqual([
      ['31.13.64.1', 'IE', null, null, 2],
    ]);
  });

  it("groups the period by address with no window over its events (a shared address is one worker's)", () => {
    // A window partitioned by the address holds every event of the period in memory at once, an
    // office's or a VPN's address of thousands of users all on one worker: Athena fails such a
    // query with "Query exhausted resources at this scale factor". The only windows left are
    // those over the user's addresses (listed), which hold no partition.
    const sql = loadQuery('user_addresses').sql.replace(/\/\*[\s\S]*?\*\//g, '');
    expect(sql.match(/OVER\s*\(\s*PARTITION\s+BY/gi)).toBeNull();
    expect(sql.match(/\bOVER\s*\(/gi)).toHaveLength(2);
  });

  it('reads a bracketed IPv4 address alone as the bare address, and counts who else used that', async () => {
    // Shown as written; grouped and compared as 31.13.64.2 (user-addresses-bracketed.test.ts).
    const rows = await addressesOf('14');
    expect(rows.map((r) => [r.ip_address, r.other_users])).toEqual([['[31.13.64.2]:443', 1]]);
  });
});
