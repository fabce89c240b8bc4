/**
 * The network of a sign-in (the /24 or /48 of new_network's evidence and the `network` column)
 * from every spelling of an address: the query on DuckDB and the alert detector's networkOf give
 * the same, and IPv4-mapped addresses count as IPv4 however they are written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { networkOf } from '../../functions/core/alerts/ip-network.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { loadQueryCatalog } from '../../functions/queries/catalog.ts';
import { networkOf as referenceNetworkOf } from './support/expected-answers.ts';
import { login, writeFixtureLake } from './support/lake-fixture.ts';
import { randomAddresses } from './support/random-addresses.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const day = (offset: number, hhmm: string) =>
  `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;
const comcast = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'g' };
const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG', geo_db_version: 'g' };

/** Address as written -> the network the query and the detector give it. */
const SPELLINGS: [string, string | null][] = [
  ['8.8.8.8', '8.8.8.0/24'],
  ['::ffff:8.8.8.8', '8.8.8.0/24'],
  ['::ffff:808:808', '8.8.8.0/24'],
  ['::ffff:0808:0808', '8.8.8.0/24'],
  ['0:0:0:0:0:ffff:8.8.8.8', '8.8.8.0/24'],
  ['0:0:0:0:0:FFFF:0808:0808', '8.8.8.0/24'],
  ['0::ffff:c0a8:ff01', '192.168.255.0/24'],
  ['0000:0::0:ffff:5db8:d822', '93.184.216.0/24'],
  // Not mapped: ffff not in the sixth group, or too many groups.
  ['1::ffff:808:808', '1:0:0::/48'],
  ['1:0:0:0:0:ffff:808:808', '1:0:0::/48'],
  ['0:0:0:0:0:0:ffff:808:808', null],
  ['2001:4860::8.8.8.8', '2001:4860:0::/48'],
  ['64:ff9b::8.8.8.8', '64:ff9b:0::/48'],
  ['2001:DB8:00ab::1', '2001:db8:ab::/48'],
  ['::1:2:3:4:5:6:7', '0:1:2::/48'],
  ['0:0:1::', '0:0:1::/48'],
  ['255.255.255.255', '255.255.255.0/24'],
  ['::ffff:255.1.2.3', '255.1.2.0/24'],
  // Malformed: an octet over 255, a dotted tail of three or five octets, a five-digit group.
  ['999.2.69.160', null],
  ['1.2.3.256', null],
  ['::ffff:999.1.1.1', null],
  ['::ffff:81.2.69.160.7', null],
  ['::ffff:1.2.3', null],
  ['2001:db8:1::1.2.3', null],
  ['2001:db8:1::12345', null],
  ['1:2:3:4:5:6:7:', null],
  ['1.2.3.4::', null],
  // Unspecified and loopback however written, and the rest of 0:0:0::/48 (not mapped): none.
  ['::1', null],
  ['::', null],
  ['0:0:0:0:0:0:0:1', null],
  ['::ffff:808:808:1', null],
  ['::8.8.8.8', null],
  ['0.0.0.0', null],
  ['000.1.2.3', null],
  ['127.0.0.1', null],
  ['::ffff:127.0.0.1', null],
  ['::ffff:7f00:1', null],
  ['::ffff:0:0', null],
  // Only ASCII whitespace around an address is stripped, as the query's regular expressions do.
  [' \t8.8.8.8\r\n\f', '8.8.8.0/24'],
  ['\u00a08.8.8.8', null],
  ['8.8.8.8\v', null],
  ['\u20002001:db8::1', null],
];

const history = (user: { user_id: string; user_name: string }) =>
  Array.from({ length: 10 }, (_, d) =>
    login(day(-10 + d, '09:00'), 'login', { ...user, ...comcast, ip_address: '73.1.2.3' }),
  );

/** Random addresses, each a new network owner of one user: one new_network row apiece. */
const RANDOM = randomAddresses('network-spellings', 600);
const randomUser = { user_id: 'random', user_name: 'Random' };
const minute = (i: number) =>
  new Date(FROM + DAY_MS + i * 60_000).toISOString().slice(0, 19).replace('T', ' ');

const events: EventRecord[] = [
  ...SPELLINGS.flatMap(([ip], i) => {
    const user = { user_id: `u${i}`, user_name: `User ${i}` };
    return [...history(user), login(day(1, '09:00'), 'login', { ...user, ...telekom, ip_address: ip })];
  }),
  ...history(randomUser),
  ...RANDOM.map((ip, i) =>
    login(minute(i), 'login', { ...randomUser, ...telekom, ip_asn: 100_000 + i, ip_address: ip }),
  ),
];

let dir: string;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'network-spellings-'));
  await writeFixtureLake(dir, { events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});

afterAll(async () => {
  await engine?.close?.();
  await rm(dir, { recursive: true, force: true });
});

describe('the network of every spelling of an address', () => {
  it('is the same in the query, the detector and the reference reading', async () => {
    const { rows } = await engine.run(
      'suspicious_logins',
      standardParams({ instance: 'default', fromMs: FROM, toMs: FROM + 7 * DAY_MS }),
    );
    const sql = new Map(
      rows
        .filter((r) => r.reason === 'new_network' && r.user_id !== randomUser.user_id)
        .map((r) => [r.ip_address, r.network]),
    );
    expect(sql.size).toBe(SPELLINGS.length);
    for (const [ip, network] of SPELLINGS) {
      expect([ip, sql.get(ip)]).toEqual([ip, network]);
      expect([ip, networkOf(ip)]).toEqual([ip, network]);
      expect([ip, referenceNetworkOf(ip)]).toEqual([ip, network]);
    }
  });

  it('is the same in the query and the detector for random addresses, malformed ones too', async () => {
    // Every row: the random user's findings are more than the query's first 1,000 rows.
    const { query, positional } = loadQueryCatalog().bind('suspicious_logins', {
      ...standardParams({ instance: 'default', fromMs: FROM, toMs: FROM + 7 * DAY_MS }),
      max_rows: '1000000',
    });
    const { rows } = await engine.runSql(query.sql, positional);
    const sql = rows
      .filter((r) => r.reason === 'new_network' && r.user_id === randomUser.user_id)
      .map((r) => [r.ip_address, r.network]);
    expect(sql).toHaveLength(RANDOM.length);
    expect(sql).toEqual(RANDOM.map((ip) => [ip, networkOf(ip)]));
    // Enough of each kind for the comparison to mean something.
    const kinds = new Set(
      sql.map(([, n]) => (n === null ? 'none' : String(n).endsWith('/24') ? 'v4' : 'v6')),
    );
    expect(kinds).toEqual(new Set(['none', 'v4', 'v6']));
  });
});
