/**
 * The query to dig further of a spray of a network or an owner (review R-ONCALL H2): its alert
 * keeps 20 of its addresses' texts at most, and the raising failure's address, so the query also
 * finds every address of an IPv4 /24, and every event the geo data placed in the owner.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import {
  ANY_ADDRESS_LEFT_OUT,
  digQuery,
  SPRAY_TEXTS_LEFT_OUT,
} from '../../../functions/core/alerts/dig-further.ts';
import { event } from '../../queries/support/lake-fixture.ts';
import { trino } from '../../support/trino-grammar.ts';
import { failedLogin, hourInput } from './support/alert-fixtures.ts';
import { digRowsOnDuckDb } from './support/dig-on-duckdb.ts';

const H = Date.parse('2026-10-05T10:00:00Z');

const fail = (user: number, ms: number, ip: string): AlertEvent => ({
  ...failedLogin(user, ms, ip, `f${user}`),
  ip_country: 'GB',
  ip_asn: 14061,
  ip_org: 'DigitalOcean, LLC',
});

const sprayOf = (failures: AlertEvent[]) => {
  const alerts = detectPasswordSprays(hourInput(H, failures));
  expect(alerts).toHaveLength(1);
  return digQuery('default', alerts);
};

describe('the query to dig further of a spray of a network or an owner', () => {
  it('finds every address of its /24, none of the next', async () => {
    const query = sprayOf(Array.from({ length: 40 }, (_, i) => fail(i, H + i * 5_000, `178.62.10.${i + 1}`)));
    expect(query).toContain("regexp_like(ip_address, '(^|[^0-9.])178\\.62\\.10\\.[0-9]{1,3}($|[^0-9.])')");
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:30:00', { ip_address: '178.62.10.200', event_text: 'later, in the /24' }),
      event('2026-10-05 10:31:00', {
        ip_address: '10.0.0.1, 178.62.10.201:443',
        event_text: 'through a proxy',
      }),
      event('2026-10-05 10:32:00', { ip_address: '178.62.100.1', event_text: 'another /24' }),
      event('2026-10-05 10:33:00', { ip_address: '1178.62.10.2', event_text: 'no address' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['later, in the /24', 'through a proxy']);
  });

  it('finds every event placed in its owner', async () => {
    const query = sprayOf(
      Array.from({ length: 200 }, (_, i) => fail(i, H + i * 3_000, `178.62.${i % 128}.${1 + (i >> 7)}`)),
    );
    expect(query).toContain('ip_asn = 14061');
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      event('2026-10-05 10:30:00', { ip_address: '139.59.1.1', ip_asn: 14061, event_text: 'the owner' }),
      event('2026-10-05 10:31:00', { ip_address: '73.1.2.3', ip_asn: 7922, event_text: 'another owner' }),
    ]);
    expect(rows.map((r) => r.event_text)).toEqual(['the owner']);
  });

  it('of any address, finds every failure under a name of no user in its hours (review R-ALERTS2 M2)', async () => {
    // 300 names of no user from 300 addresses of 300 owners: the alert keeps 20 of its texts.
    const botnet = Array.from({ length: 300 }, (_, i) => ({
      ...fail(i, H + i * 5_000, `${11 + (i % 200)}.${i}.7.9`),
      user_id: '0',
      ip_asn: 20_000 + i,
    }));
    const query = sprayOf(botnet);
    expect(query.split('\n')[0]).toBe(ANY_ADDRESS_LEFT_OUT);
    expect(query).not.toContain(SPRAY_TEXTS_LEFT_OUT);
    expect(trino.validate(query)).toEqual([]);
    const lake = botnet.map((f) =>
      event(new Date(f.event_time_ms).toISOString().slice(0, 19).replace('T', ' '), {
        category: 'login_failed',
        user_id: f.user_id,
        user_name: f.user_name,
        ip_address: f.ip_address,
        event_text: 'botnet',
      }),
    );
    const rows = await digRowsOnDuckDb(query, [
      ...lake,
      event('2026-10-05 10:30:00', {
        category: 'login_failed',
        user_id: null,
        ip_address: '99.1.1.1',
        event_text: 'no id',
      }),
      event('2026-10-05 10:31:00', {
        category: 'login_failed',
        user_id: '77',
        ip_address: '99.1.1.2',
        event_text: 'a user',
      }),
      event('2026-10-05 13:00:00', {
        category: 'login_failed',
        user_id: '0',
        ip_address: '99.1.1.3',
        event_text: 'later',
      }),
    ]);
    expect(rows.filter((r) => r.event_text === 'botnet')).toHaveLength(300);
    expect(rows.filter((r) => r.event_text !== 'botnet').map((r) => r.event_text)).toEqual(['no id']);
  });
});
