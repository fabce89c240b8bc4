/**
 * user_addresses reads an IPv4 address alone in brackets (`[81.2.3.4]`, `[81.2.3.4]:443`) as that
 * address: before, it was compared as text, so the user's events from it were a row apart from
 * the same address written bare, and the other users seen there were counted apart (review IR,
 * stop 81). It stays no key of the detections (the geo lookup reads brackets as IPv6's): only the
 * responder's grouping changes. The SQL's answer equals the TypeScript reading of it.
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
const bo = (time: string, ip: string) =>
  event(`2026-11-17 ${time}`, { user_id: '2', user_name: 'Bo', ip_address: ip });

const events: EventRecord[] = [
  ada('10:00:00', '81.2.3.4'),
  ada('10:01:00', '[81.2.3.4]'),
  ada('10:02:00', ' [81.2.3.4]:443 '),
  bo('10:03:00', '[81.2.3.4]'),
  // A private address alike: the text it is compared by is the address.
  ada('11:00:00', '10.0.0.7'),
  ada('11:01:00', '[10.0.0.7]'),
  // Not an IPv4 address as the keys read one (a leading zero, a bad port, a list): text as before.
  ada('12:00:00', '[010.1.1.1]'),
  ada('12:01:00', '[81.2.3.4]:99999'),
  ada('12:02:00', '[81.2.3.4], [10.0.0.7]'),
];

let lake: FixtureEngine;
let rows: QueryRow[];
beforeAll(async () => {
  lake = await openFixtureEngine('user-addresses-bracketed-', { events });
  rows = (await lake.engine.run('user_addresses', { ...standardParams(period), user_id: '1' })).rows;
});
afterAll(async () => {
  await lake?.close();
});

describe('user_addresses reads an IPv4 address alone in brackets as that address', () => {
  it('one row for the address, bare or bracketed, with the other users seen from it', () => {
    expect(rows.map((r) => [r.ip_address, r.events, r.other_users, r.other_user_names])).toEqual([
      // Shown as the user's latest event there wrote it.
      [' [81.2.3.4]:443 ', 3, 1, 'Bo (2)'],
      ['[10.0.0.7]', 2, 0, null],
      ['[010.1.1.1]', 1, 0, null],
      ['[81.2.3.4]:99999', 1, 0, null],
      ['[81.2.3.4], [10.0.0.7]', 1, 0, null],
    ]);
  });

  it('equals the answer computed in TypeScript', () => {
    expect(rows).toEqual(userAddresses(events, period, '1'));
  });
});
