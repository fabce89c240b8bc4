import { describe, expect, it } from 'vitest';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { GEO_LOOKUP_RULES } from '../../../functions/core/geo/geo-db-version.ts';
import { clientIpKey, parseIpv4 } from '../../../functions/core/geo/ip-address.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { GeoAnswer, GeoLookup } from '../../../functions/core/ports.ts';
import { event, manifest } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

/**
 * Records placed by older lookup rules reach the current rules through a plain enrich (no force):
 * the version records carry names the rules, so the same data read by newer rules is another
 * version. 81.2.69.142 is in GB; 104.16.0.1 is a proxy (Cloudflare, in CA by the data).
 */
const HOUR = Date.parse('2026-10-01T10:00:00Z');
const DATA = 'dbip-country@2.3.2026060120+asn@2.3.2026061719';
const CURRENT = `${DATA}+rules@${GEO_LOOKUP_RULES}`;
const GB: GeoAnswer = { country: 'GB', asn: 20712, org: 'Andrews & Arnold Ltd' };
const CA: GeoAnswer = { country: 'CA', asn: 13335, org: 'Cloudflare, Inc.' };
const PLACES = new Map([
  [parseIpv4('81.2.69.142'), GB],
  [parseIpv4('104.16.0.1'), CA],
]);

/** The current rules (clientIpKey) over a two-address table. */
const database = (version: string): GeoLookup => ({
  version,
  lookup: (ip) => {
    const key = clientIpKey(ip);
    return key?.family === 4 ? PLACES.get(key.value) : undefined;
  },
});

const options = {
  instance: 'default',
  fromMs: HOUR,
  toMs: HOUR + 3_600_000,
  nowIso: '2026-12-04T04:00:00.000Z',
};

/**
 * An hour placed under `version`: the old rules skipped the entry with a port to place the first
 * record at the proxy, and read `081.2.69.142` (which the current rules refuse, and which has no
 * other entry) as 81.2.69.142.
 */
async function lakePlacedBy(
  version: string,
  addresses: readonly string[] = ['81.2.69.142:50123, 104.16.0.1', '081.2.69.142'],
) {
  const store = new MemoryObjectStore();
  const atProxy = (minute: string, ip: string) => ({
    ...event(`2026-10-01 10:${minute}:00`, { ip_address: ip }),
    ip_country: 'CA',
    ip_asn: 13335,
    ip_org: 'Cloudflare, Inc.',
    geo_db_version: version,
  });
  await store.put(
    activityKey('default', HOUR),
    encodeNdjsonGzip(addresses.map((ip, i) => atProxy(String(i + 1).padStart(2, '0'), ip))),
  );
  await writeCoverage(store, 'default', manifest('2026-10-01 10:00'));
  const stored = async () =>
    decodeNdjsonGzip((await store.get(activityKey('default', HOUR)))?.body ?? new Uint8Array()) as {
      ip_country: string | null;
      geo_db_version: string | null;
    }[];
  return { store, stored };
}

describe('enrich after a change of the lookup rules', () => {
  it('re-places records placed by older rules without force, unplacing what the rules no longer read', async () => {
    // The version records of rules 1 carry: the same data, no rules tag.
    const { store, stored } = await lakePlacedBy(DATA);
    const summary = await enrichLake({ store, geo: database(CURRENT) }, options);
    expect(summary).toMatchObject({ hoursRewritten: 1, recordsKeptPlaced: 0, recordsLeftNewer: 0 });
    expect((await stored()).map((r) => [r.ip_country, r.geo_db_version])).toEqual([
      ['GB', CURRENT],
      [null, CURRENT],
    ]);
  });

  it('does not keep a place older rules made that the current lookup cannot make', async () => {
    // Rules 1 passed over `[3001::1]:443` and placed the record at the proxy; the current rules
    // read 3001::1, which the data does not place: null, not the proxy's place kept.
    const { store, stored } = await lakePlacedBy(DATA, ['[3001::1]:443, 104.16.0.1']);
    const summary = await enrichLake({ store, geo: database(CURRENT) }, options);
    expect(summary).toMatchObject({ hoursRewritten: 1, recordsKeptPlaced: 0, recordsEnriched: 1 });
    expect((await stored()).map((r) => [r.ip_country, r.geo_db_version])).toEqual([[null, CURRENT]]);
  });

  it('keeps a place of older data under the same rules the database no longer finds', async () => {
    const { store, stored } = await lakePlacedBy(
      `dbip-country@2.3.2026050120+asn@2.3.2026051719+${CURRENT.split('+')[2]}`,
      ['[3001::1]:443, 104.16.0.1'],
    );
    const summary = await enrichLake({ store, geo: database(CURRENT) }, options);
    expect(summary).toMatchObject({ hoursRewritten: 0, recordsKeptPlaced: 1 });
    expect((await stored()).map((r) => r.ip_country)).toEqual(['CA']);
  });

  it('keeps a place the same rules no longer find (a damaged database), as before', async () => {
    const { store, stored } = await lakePlacedBy(
      `dbip-country@2.3.2026050120+asn@2.3.2026051719+rules@${GEO_LOOKUP_RULES}`,
    );
    const empty: GeoLookup = { version: CURRENT, lookup: () => undefined };
    const summary = await enrichLake({ store, geo: empty }, options);
    expect(summary).toMatchObject({ recordsKeptPlaced: 2 });
    expect((await stored()).map((r) => r.ip_country)).toEqual(['CA', 'CA']);
  });

  it('leaves records placed by newer rules as they are', async () => {
    const newer = `${DATA}+rules@${GEO_LOOKUP_RULES + 1}`;
    const { store, stored } = await lakePlacedBy(newer);
    const summary = await enrichLake({ store, geo: database(CURRENT) }, options);
    expect(summary).toMatchObject({ hoursRewritten: 0, recordsLeftNewer: 2 });
    expect((await stored()).map((r) => r.geo_db_version)).toEqual([newer, newer]);
  });
});
