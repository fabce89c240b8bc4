/**
 * user_addresses gives each address its network, the IPv4 /24 or IPv6 /48 failed_logins_by_network
 * groups by: a home line or an office hands one user many addresses (a new one each reconnection,
 * an IPv6 /64 each device's prefix), which were as many unrelated rows for a responder to compare
 * by eye (helper QZONE, 2026-12-07). A text that is no public address has none. The SQL's answer
 * equals the TypeScript reading of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { userAddresses } from './support/expected-investigation.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const ada = (time: string, ip: string) =>
  event(`2026-11-17 ${time}`, { user_id: '1', user_name: 'Ada', ip_address: ip });

/** Eight addresses of one home line's /24, one a minute from 08:00. */
const homeLine = [11, 23, 37, 52, 68, 101, 140, 201].map((last, i) => ada(`08:0${i}:00`, `81.2.3.${last}`));

const events: EventRecord[] = [
  ...homeLine,
  // Behind a proxy: the client's public entry keys it, in the same /24.
  ada('09:00:00', '10.0.0.7, 81.2.3.250'),
  // Two /64 of one /48, spelled apart.
  ada('10:00:00', '2a02:1210:AB00:1::1'),
  ada('10:01:00', '2a02:1210:ab00:0002:0:0:0:9'),
  // Another line's /24; a private address and no address: no network.
  ada('11:00:00', '81.2.4.1'),
  ada('12:00:00', '192.168.1.5'),
  ada('12:01:00', 'unknown'),
];

let lake: FixtureEngine;
let rows: QueryRow[];
beforeAll(async () => {
  lake = await openFixtureEngine('user-addresses-network-', { events });
  rows = (await lake.engine.run('user_addresses', { ...standardParams(period), user_id: '1' })).rows;
});
afterAll(async () => {
  await lake?.close();
});

describe("user_addresses gives each address its network, so a line's addresses read as one", () => {
  it('the eight addresses of a home line, and the proxied one, share its /24; IPv6 by /48', () => {
    expect(rows.map((r) => [r.ip_address, r.network])).toEqual([
      ...homeLine.map((e) => [e.ip_address, '81.2.3.0/24']),
      ['10.0.0.7, 81.2.3.250', '81.2.3.0/24'],
      ['2a02:1210:AB00:1::1', '2a02:1210:ab00::/48'],
      ['2a02:1210:ab00:0002:0:0:0:9', '2a02:1210:ab00::/48'],
      ['81.2.4.1', '81.2.4.0/24'],
      ['192.168.1.5', null],
      ['unknown', null],
    ]);
  });

  it('equals the answer computed in TypeScript', () => {
    expect(rows).toEqual(userAddresses(events, period, '1'));
  });
});
