import { describe, expect, it } from 'vitest';
import { encodeGeoDatabase, GeoDatabase } from '../../../functions/core/geo/geo-database.ts';
import { GeoEnricher } from '../../../functions/core/geo/geo-enrichment.ts';
import { normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import type { GeoLookup } from '../../../functions/core/ports.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';

const start = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: start, endMs: start + 3_600_000 };
const ctx = normaliseContextFor(window);

const entry = (ipAddress: unknown, minute: number) => ({
  actionType: 'LOGGEDIN',
  eventText: 'Logged in',
  objectType: 'USER',
  userId: '7',
  userName: 'Ada',
  ipAddress,
  time: start + minute * 60_000,
});

const lookup: GeoLookup = {
  version: 'geo@1',
  lookup: (ip) => (ip === '8.8.8.8' ? { country: 'US', asn: 15169, org: 'Google LLC' } : undefined),
};

/** An entry as a source serves it. */
const served = (value: unknown) => ({ value, text: JSON.stringify(value) });

describe('normaliseWindow with a geo lookup', () => {
  it('adds country, network and owner to each event with an address, and nulls to the others', () => {
    const { records, quarantined } = normaliseWindow(
      [entry('8.8.8.8', 1), entry('10.1.2.3', 2), entry(null, 3), entry('junk', 4)].map(served),
      window,
      { ...ctx, geo: new GeoEnricher(lookup) },
    );
    expect(quarantined).toEqual([]);
    expect(records.map((r) => [r.ip_country, r.ip_asn, r.ip_org, r.geo_db_version])).toEqual([
      ['US', 15169, 'Google LLC', 'geo@1'],
      [null, null, null, 'geo@1'],
      [null, null, null, null],
      [null, null, null, 'geo@1'],
    ]);
  });

  it('places a forwarded-for list by its client and keeps the address as Domo sent it', () => {
    const database = GeoDatabase.decode(
      encodeGeoDatabase({
        version: 'geo@2',
        releasedAt: '2026-06-01',
        sources: [],
        countries: ['US'],
        networks: [{ asn: 15169, org: 'Google LLC' }],
        countryV4: [{ start: 0x08080800n, end: 0x080808ffn, value: 1 }],
        countryV6: [],
        asnV4: [{ start: 0x08080800n, end: 0x080808ffn, value: 1 }],
        asnV6: [],
      }),
    );
    const sent = ['8.8.8.8, 10.0.0.4', '10.1.2.3,8.8.8.8', '10.1.2.3, 192.168.0.1'];
    const { records } = normaliseWindow(
      sent.map((ip, i) => served(entry(ip, i + 1))),
      window,
      { ...ctx, geo: new GeoEnricher(database) },
    );
    expect(records.map((r) => [r.ip_address, r.ip_country, r.ip_asn, r.geo_db_version])).toEqual([
      ['8.8.8.8, 10.0.0.4', 'US', 15169, 'geo@2'],
      ['10.1.2.3,8.8.8.8', 'US', 15169, 'geo@2'],
      ['10.1.2.3, 192.168.0.1', null, null, 'geo@2'],
    ]);
  });

  it('writes null geo columns when there is no lookup', () => {
    const { records } = normaliseWindow([served(entry('8.8.8.8', 1))], window, ctx);
    expect(records[0]).toMatchObject({ ip_country: null, ip_asn: null, ip_org: null, geo_db_version: null });
  });
});
