import { describe, expect, it } from 'vitest';
import { enricherFor, GeoEnricher, NO_GEO } from '../../../functions/core/geo/geo-enrichment.ts';
import type { GeoLookup } from '../../../functions/core/ports.ts';

function countingLookup(): GeoLookup & { calls: string[] } {
  const calls: string[] = [];
  return {
    version: 'v1',
    calls,
    lookup(ip) {
      calls.push(ip);
      if (ip === '10.0.0.1') return undefined;
      return { country: 'DE', asn: 3320, org: 'Deutsche Telekom AG' };
    },
  };
}

describe('GeoEnricher', () => {
  it('fills the columns once per distinct address', () => {
    const lookup = countingLookup();
    const enricher = new GeoEnricher(lookup);
    const first = enricher.columns('80.150.1.2');
    expect(first).toEqual({
      ip_country: 'DE',
      ip_asn: 3320,
      ip_org: 'Deutsche Telekom AG',
      geo_db_version: 'v1',
    });
    expect(enricher.columns('80.150.1.2')).toBe(first);
    expect(lookup.calls).toEqual(['80.150.1.2']);
  });

  it('records the version but no place for addresses the database cannot place', () => {
    const enricher = new GeoEnricher(countingLookup());
    expect(enricher.columns('10.0.0.1')).toEqual({ ...NO_GEO, geo_db_version: 'v1' });
  });

  it('gives all-null columns without an address or without a database', () => {
    expect(new GeoEnricher(countingLookup()).columns(null)).toEqual(NO_GEO);
    expect(new GeoEnricher(undefined).columns('80.150.1.2')).toEqual(NO_GEO);
  });

  it('shares one enricher (and cache) per lookup', () => {
    const lookup = countingLookup();
    expect(enricherFor(lookup)).toBe(enricherFor(lookup));
    enricherFor(lookup).columns('1.2.3.4');
    enricherFor(lookup).columns('1.2.3.4');
    expect(lookup.calls).toHaveLength(1);
  });

  it('does not remember long texts (a list of hundreds of hops), only answers them', () => {
    const lookup = countingLookup();
    const enricher = new GeoEnricher(lookup);
    const hops = Array.from({ length: 600 }, (_, i) => `10.${i % 256}.0.1`).join(', ');
    const long = `80.150.1.2, ${hops}`;
    const first = enricher.columns(long);
    expect(first.ip_country).toBe('DE');
    expect(enricher.columns(long)).toEqual(first);
    expect(lookup.calls).toHaveLength(2);
    // A list of a few hops is still remembered.
    const short = '80.150.1.2, 10.0.0.4, 172.16.0.1, 192.168.1.1, 100.64.0.1, 10.255.255.255';
    enricher.columns(short);
    enricher.columns(short);
    expect(lookup.calls).toHaveLength(3);
  });
});
