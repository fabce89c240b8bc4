/**
 * address_activity, an incident responder's pivot (every event from one address, any user), on
 * DuckDB over a fixture lake: it finds the address with a port, in brackets, anywhere in a
 * forwarded-for list, and not an address that holds its digits (`ip_address = …` missed the first,
 * `LIKE` found the last). The spellings are those docs/queries.md's former `--sql` recipe was
 * tested on, and the same for IPv6 and a /24.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv6Groups } from '../../functions/core/geo/ip-address.ts';
import { isAddressParam, normalisedAddress } from '../../functions/core/queries/address-param.ts';
import { inlineParameters } from '../../functions/core/queries/query-definition.ts';
import {
  checkParamValue,
  normalisedParamValue,
  standardParams,
} from '../../functions/core/queries/query-params.ts';
import { loadQuery } from '../../functions/queries/catalog.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';
import { randomAddresses } from './support/random-addresses.ts';

const ipv4: Record<string, boolean> = {
  '154.28.124.189': true,
  '154.28.124.189:61000': true,
  '[154.28.124.189]:443': true,
  '10.0.0.1, 154.28.124.189': true,
  '154.28.124.189,104.16.0.1': true,
  '::ffff:154.28.124.189': true,
  '154.28.124.18': false,
  '154.28.124.1890': false,
  '2154.28.124.189': false,
  '154.28.124.189.5': false,
  '10.0.0.1, 154.28.124.19': false,
};

const ipv6: Record<string, boolean> = {
  '2a00:1450:4001:81c::200e': true,
  '[2a00:1450:4001:81c::200e]:443': true,
  '2A00:1450:4001:81C::200E': true,
  '10.0.0.1, 2a00:1450:4001:81c::200e': true,
  '2a00:1450:4001:81c::200e,104.16.0.1': true,
  '2a00:1450:4001:81c::200': false,
  '2a00:1450:4001:81c::200e:1': false,
  '12a00:1450:4001:81c::200e': false,
  '3a:2a00:1450:4001:81c::200e': false,
};

/** Other spellings of 2a00:1450:4001:81c::200e, and near misses, found by its eight groups (review F-RESPOND2 4). */
const ipv6Spelled: Record<string, boolean> = {
  '2a00:1450:4001:081c:0000:0000:0000:200e': true,
  '2a00:1450:4001:81c:0:0:0:200e': true,
  '[2A00:1450:4001:81C:0::200E]:8443': true,
  '10.0.0.1, 2a00:1450:4001:81c:0::0:200e': true,
  '2a00:1450:4001:81c:0:0:1:200e': false,
  '2a00:1450:4001:81c::': false,
};

const spellings = { ...ipv4, ...ipv6, ...ipv6Spelled };
const ips = Object.keys(spellings);

let lake: FixtureEngine;
let eventsOfLake: Parameters<typeof openFixtureEngine>[1]['events'] = [];
beforeAll(async () => {
  const events = ips.map((ip, i) =>
    event(`2026-11-24 04:${String(10 + i).padStart(2, '0')}:00`, { ip_address: ip, user_id: String(i + 1) }),
  );
  // Two of them placed in AS 13335 (the geo data's, by the client entry), one in AS 64500.
  events[0] = { ...(events[0] as (typeof events)[number]), ip_asn: 13335 };
  events[2] = { ...(events[2] as (typeof events)[number]), ip_asn: 13335 };
  events[3] = { ...(events[3] as (typeof events)[number]), ip_asn: 64500 };
  eventsOfLake = events;
  lake = await openFixtureEngine('address-activity-', { events, instance: 'main' });
});
afterAll(async () => {
  await lake?.close();
});

const week = standardParams({
  instance: 'main',
  fromMs: Date.parse('2026-11-23T00:00:00Z'),
  toMs: Date.parse('2026-11-30T00:00:00Z'),
});

async function found(address: string, overrides: Record<string, string> = {}) {
  return (await lake.engine.run('address_activity', { ...week, address, ...overrides })).rows;
}

const foundIn = (spelled: Record<string, boolean>) =>
  Object.entries(spelled)
    .filter(([, is]) => is)
    .map(([ip]) => ip);

describe('address_activity: every event from one address, any user', () => {
  it('finds an IPv4 address in every spelling of it as an entry, and no other address', async () => {
    const rows = await found('154.28.124.189');
    expect(rows.map((r) => r.ip_address)).toEqual(foundIn(ipv4));
    expect(rows.map((r) => r.total_rows)).toEqual(foundIn(ipv4).map(() => foundIn(ipv4).length));
  });

  it('finds an IPv6 address as written, letter case aside, with its port in brackets or in a list', async () => {
    expect((await found('2a00:1450:4001:81c::200e')).map((r) => r.ip_address)).toEqual(foundIn(ipv6));
    expect((await found('2A00:1450:4001:81C::200E')).map((r) => r.ip_address)).toEqual(foundIn(ipv6));
  });

  it('finds an IPv6 address given as its eight groups in every spelling: zeros, a double colon anywhere, case', async () => {
    const every = [...foundIn(ipv6), ...foundIn(ipv6Spelled)];
    const rows = await found(normalisedAddress('2A00:1450:4001:81C::200E'));
    expect(rows.map((r) => r.ip_address)).toEqual(every);
    expect(rows.map((r) => r.total_rows)).toEqual(every.map(() => every.length));
    // The same whatever spelling was given, once the CLI has written it out.
    expect(normalisedAddress('2a00:1450:4001:081c:0:0::200e')).toBe('2a00:1450:4001:81c:0:0:0:200e');
  });

  it('finds every address of an IPv4 /24 given as a.b.c.0/24, and none that only holds its digits', async () => {
    const rows = await found('154.28.124.0/24');
    expect(rows.map((r) => r.ip_address)).toEqual([
      ...foundIn(ipv4).slice(0, 6),
      '154.28.124.18',
      '10.0.0.1, 154.28.124.19',
    ]);
  });

  it('finds the events of a network owner by asn, alone or with an address (review F-RESPOND2 3)', async () => {
    const owned = [ips[0], ips[2]];
    expect((await found('', { asn: '13335' })).map((r) => r.ip_address)).toEqual(owned);
    expect((await found('', { asn: '13335' })).map((r) => r.asn)).toEqual([13335, 13335]);
    expect((await found('154.28.124.189', { asn: '64500' })).map((r) => r.ip_address)).toEqual([ips[3]]);
    expect(await found('', { asn: '1' })).toEqual([]);
    // Both empty in the Athena console, which checks nothing: the SQL lists a row saying so, not every event.
    // On an engine of its own: SQL as written locks the engine's settings for the queries after it.
    const consoleLake = await openFixtureEngine('address-activity-console-', {
      events: eventsOfLake,
      instance: 'main',
    });
    try {
      const query = loadQuery('address_activity');
      const asWritten = (values: Record<string, string>) =>
        inlineParameters(
          query.sql,
          query.placeholders.map((p) => ({ ...week, ...values })[p] ?? ''),
        );
      expect(
        (await consoleLake.engine.runReadOnlySql(asWritten({ address: '', asn: '' }), 'console')).rows.map(
          (r) => [r.event_text, r.total_rows],
        ),
      ).toEqual([['address and asn are both empty: give an address, an asn or both', 0]]);
      expect(
        (await consoleLake.engine.runReadOnlySql(asWritten({ address: '', asn: '13335' }), 'console')).rows,
      ).toHaveLength(2);
    } finally {
      await consoleLake.close();
    }
    // Here the check refuses it before any SQL runs.
    expect(
      await lake.engine.run('address_activity', { ...week, address: '', asn: '' }).catch(() => 'refused'),
    ).toBe('refused');
  });

  it('lists the first max_rows in time, each with the count of all', async () => {
    const rows = await found('154.28.124.189', { max_rows: '2' });
    expect(rows.map((r) => [r.ip_address, r.user_id, r.total_rows])).toEqual([
      ['154.28.124.189', '1', 6],
      ['154.28.124.189:61000', '2', 6],
    ]);
  });
});

describe("address_activity's address in the spelling the query matches", () => {
  it('writes IPv6 out as eight groups, IPv4-mapped as IPv4, and leaves IPv4 and a /24 alone', () => {
    expect(normalisedAddress('154.28.124.189')).toBe('154.28.124.189');
    expect(normalisedAddress('154.28.124.0/24')).toBe('154.28.124.0/24');
    expect(normalisedAddress('::')).toBe('0:0:0:0:0:0:0:0');
    expect(normalisedAddress('::1')).toBe('0:0:0:0:0:0:0:1');
    expect(normalisedAddress('1::')).toBe('1:0:0:0:0:0:0:0');
    expect(normalisedAddress('2001:DB8:0000::00A')).toBe('2001:db8:0:0:0:0:0:a');
    expect(normalisedAddress('::ffff:154.28.124.189')).toBe('154.28.124.189');
    expect(normalisedAddress('::FFFF:9a1c:7cbd')).toBe('154.28.124.189');
    expect(normalisedAddress('0:0:0:0:0:ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(normalisedAddress('64:ff9b::1.2.3.4')).toBe('64:ff9b:0:0:0:0:102:304');
  });

  it('finds the events of an IPv4-mapped address given as such: those of its IPv4 address', async () => {
    const rows = await found(normalisedAddress('::ffff:154.28.124.189'));
    expect(rows.map((r) => r.ip_address)).toEqual(foundIn(ipv4));
  });
});

describe("address_activity's address check", () => {
  it('takes what the geo lookup reads as one address, and an IPv4 /24, nothing else', () => {
    const texts = [
      ...ips,
      '154.28.124.189',
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '010.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '::',
      '::1',
      '1::',
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      '2001:db8:0:0:0:0:0:0:1',
      '2001:db8::1::2',
      '1:2:3:4:5:6:7::',
      '1:2:3:4:5:6:7:8::',
      '::ffff:1.2.3.4',
      '1.2.3.4::',
      '0:0:0:0:0:ffff:1.2.3.4',
      '2001:db8::12345',
      'fe80::1%eth0',
      ':::',
      '',
      '1.2.3.*',
    ];
    for (const text of texts) {
      const isAddress =
        parseIpv4(text) !== undefined || (text.includes(':') && parseIpv6Groups(text) !== undefined);
      expect(isAddressParam(text), text).toBe(isAddress);
    }
    expect(isAddressParam('154.28.124.0/24')).toBe(true);
    // Brackets and ports are the CLI's to take off (unwrappedAddress), not an address's spelling.
    expect(isAddressParam('[154.28.124.189]')).toBe(false);
    for (const network of [
      '154.28.124.5/24',
      '154.28.0.0/16',
      '154.28.124.0/23',
      '2001:db8::/48',
      '300.1.2.0/24',
    ])
      expect(isAddressParam(network), network).toBe(false);
  });
});

describe("address_activity's address as a log writes it", () => {
  it('takes an address in brackets or with a port as the address alone', () => {
    const pasted: Record<string, string> = {
      '[81.2.3.4]': '81.2.3.4',
      '[81.2.3.4]:443': '81.2.3.4',
      '[81.2.3.4]:0': '81.2.3.4',
      '81.2.3.4:65535': '81.2.3.4',
      '[2001:DB8::1]': '2001:db8:0:0:0:0:0:1',
      '[2001:db8::1]:8443': '2001:db8:0:0:0:0:0:1',
      '[::ffff:81.2.3.4]:443': '81.2.3.4',
    };
    for (const [text, address] of Object.entries(pasted)) {
      expect(checkParamValue('address', text), text).toBeUndefined();
      expect(normalisedParamValue('address', text), text).toBe(address);
    }
  });

  it('refuses what holds no one address, or a port past 65535', () => {
    for (const text of [
      '[81.2.3.4',
      '81.2.3.4]',
      '[300.1.2.3]',
      '[81.2.3.0/24]',
      '[81.2.3.4]:65536',
      '[81.2.3.4]:',
      '81.2.3.4:x',
      '[[81.2.3.4]]',
      '2001:db8::1:443x',
      '[fe80::1%eth0]:443',
    ])
      expect(checkParamValue('address', text), text).toMatch(/is not an address/);
  });
});

/**
 * The saved query in the Athena console, which checks nothing (review R-SECOND5 L3): a value the CLI
 * refuses lists one row saying what is wrong, and no event, also one stored as that very text; a
 * value the CLI takes lists no such row. The SQL as the console runs it, values written in.
 */
describe("address_activity's own check, for the Athena console", () => {
  const malformed = ['1.2.3.5/24', '300.1.2.3', '010.0.0.1', '2001:db8::1::2'];
  let consoleLake: FixtureEngine;
  beforeAll(async () => {
    const events = [...malformed, '154.28.124.189'].map((ip, i) =>
      event(`2026-11-24 05:${String(10 + i).padStart(2, '0')}:00`, { ip_address: ip, ip_asn: 13335 }),
    );
    consoleLake = await openFixtureEngine('address-activity-check-', { events, instance: 'main' });
  });
  afterAll(async () => {
    await consoleLake?.close();
  });

  const query = loadQuery('address_activity');
  async function consoleRows(values: Record<string, string>) {
    const all: Record<string, string> = { ...week, asn: '', ...values };
    const sql = inlineParameters(
      query.sql,
      query.placeholders.map((p) => all[p] ?? ''),
    );
    return (await consoleLake.engine.runReadOnlySql(sql, 'console')).rows;
  }
  const refusalsOf = (rows: Awaited<ReturnType<typeof consoleRows>>) =>
    rows.filter((r) => r.event_id === null).map((r) => [r.event_text, r.total_rows, r.event_time]);
  const NOT_AN_ADDRESS =
    'address is not an address: give one IPv4 or IPv6 address (1.2.3.4, 2001:db8::1) or an IPv4 /24 (a.b.c.0/24), or an empty value with an asn';

  it('refuses what the CLI refuses, in a row of its own with no event, even one stored as that text', async () => {
    for (const address of malformed) {
      expect(isAddressParam(address), address).toBe(false);
      expect(await consoleRows({ address }), address).toEqual([
        expect.objectContaining({
          event_text: NOT_AN_ADDRESS,
          total_rows: 0,
          event_time: null,
          ip_address: null,
        }),
      ]);
    }
    expect((await consoleRows({ address: '154.28.124.189' })).map((r) => r.ip_address)).toEqual([
      '154.28.124.189',
    ]);
  });

  it('agrees with the CLI on every address it is given, well-formed or not', async () => {
    const texts = [
      ...randomAddresses('address-activity-console', 100),
      '255.255.255.255',
      '256.1.1.1',
      '1.2.3',
      '::',
      '::1',
      '1::',
      '1:2:3:4:5:6:7::',
      '1:2:3:4:5:6:7:8::',
      '1:2:3:4:5:6::1.2.3.4',
      '1:2:3:4:5:6:7:1.2.3.4',
      '::1.2.3.4',
      '1.2.3.4::',
      '2001:db8::12345',
      'fe80::1%eth0',
      ':::',
      '154.28.124.0/24',
      '154.28.0.0/16',
      '154.28.124.0/23',
      '300.1.2.0/24',
      '2001:db8::/48',
    ];
    const disagreements: string[] = [];
    for (const address of texts) {
      const refused = refusalsOf(await consoleRows({ address })).length > 0;
      if (refused === isAddressParam(address)) disagreements.push(address);
    }
    expect(disagreements).toEqual([]);
    expect(texts.filter(isAddressParam).length).toBeGreaterThan(25);
    expect(texts.filter((t) => !isAddressParam(t)).length).toBeGreaterThan(20);
  });

  it('refuses an asn that is no number, and reads AS13335 as the CLI does', async () => {
    expect(refusalsOf(await consoleRows({ address: '', asn: 'cloudflare' }))).toEqual([
      [
        'asn is not an autonomous system number: give one as 13335 or AS13335, or an empty value with an address',
        0,
        null,
      ],
    ]);
    expect((await consoleRows({ address: '', asn: 'AS13335' })).map((r) => r.ip_address)).toEqual([
      ...malformed,
      '154.28.124.189',
    ]);
  });
});
