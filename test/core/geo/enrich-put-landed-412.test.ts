import { describe, expect, it } from 'vitest';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { GeoLookup } from '../../../functions/core/ports.ts';
import { event, manifest, withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';

const HOUR = Date.parse('2026-10-01T10:00:00Z');
const geo: GeoLookup = {
  version: 'geo@2',
  lookup: (ip) => (ip === '8.8.8.8' ? { country: 'US', asn: 15169, org: 'Google LLC' } : undefined),
};

/**
 * The rewrite of an hour (and the note in its manifest) lands, but S3 lost the answer: the SDK's
 * retry met the object it had just written and was answered 412.
 */
describe('an enrichment whose rewrite landed, answered 412', () => {
  it('counts the hour as rewritten with its records enriched, not as found up to date', async () => {
    const store = new Landed412Store();
    const records = [event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' })].map(withoutGeoColumns);
    await store.put(activityKey('default', HOUR), encodeNdjsonGzip(records));
    await writeCoverage(store, 'default', manifest('2026-10-01 10:00'));
    store.arm(activityKey('default', HOUR), coverageKey('default', HOUR));

    const summary = await enrichLake(
      { store, geo },
      { instance: 'default', fromMs: HOUR, toMs: HOUR + 3_600_000, nowIso: '2026-11-30T04:00:00.000Z' },
    );

    expect(store.landed412).toEqual([coverageKey('default', HOUR), activityKey('default', HOUR)]);
    expect(summary).toMatchObject({ hoursRewritten: 1, hoursUpToDate: 0, recordsEnriched: 1 });
    expect(store.putsOf(activityKey('default', HOUR))).toBe(2);
    expect(store.putsOf(coverageKey('default', HOUR))).toBe(2);
  });
});
