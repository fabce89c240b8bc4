import { describe, expect, it } from 'vitest';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage, writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { GeoLookup } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { event, manifest, withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { LostRaceStore } from '../../support/lost-race-store.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/**
 * The ingest and `enrich` write through the digest recorder, which reads a refused put's key back
 * itself (to list the bytes as the run's write if the put landed all the same). That read is the
 * one the conditional update checks and decides again on: one GET of the object per lost race, not
 * three (the recorder's, the check's, the decision's).
 */
const hour = Date.parse('2026-10-01T10:00:00Z');

describe('a lost race of a write the digest recorder records reads the object once', () => {
  for (const [what, key] of [
    ['the merge of a pulled hour', activityKey('acme', hour)],
    ['its manifest', coverageKey('acme', hour)],
  ] as const) {
    it(`the ingest: ${what}`, async () => {
      const store = new LostRaceStore();
      const config = { ...defaultIngestConfig('acme'), concurrency: 1 };
      const range = { fromMs: hour, toMs: hour + HOUR_MS };
      const source = new MemoryAuditSource([viewEntry(hour + 60_000, 1)]);
      await runIngest(quietIngestDeps(source, store, hour + 2 * HOUR_MS), config, { range });
      source.add(viewEntry(hour + 120_000, 2));
      store.arm(key);

      const summary = await runIngest(quietIngestDeps(source, store, hour + 3 * HOUR_MS), config, { range });

      expect(store.getsSinceLost(key)).toBe(1);
      expect(summary).toMatchObject({ windowsFailed: 0, eventsWritten: 1, lateEvents: 1 });
      expect(await readCoverage(store, 'acme', hour)).toMatchObject({ event_count: 2, fetch_count: 2 });
    });
  }

  for (const [what, key] of [
    ['the rewrite of an hour', activityKey('default', hour)],
    ['its note in the manifest', coverageKey('default', hour)],
  ] as const) {
    it(`enrich: ${what}`, async () => {
      const geo: GeoLookup = {
        version: 'geo@2',
        lookup: () => ({ country: 'US', asn: 15169, org: 'Google' }),
      };
      const store = new LostRaceStore();
      const records = [event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' })].map(withoutGeoColumns);
      store.putNow(activityKey('default', hour), encodeNdjsonGzip(records));
      await writeCoverage(store, 'default', manifest('2026-10-01 10:00'));
      store.arm(key);

      const summary = await enrichLake(
        { store, geo },
        { instance: 'default', fromMs: hour, toMs: hour + HOUR_MS, nowIso: '2026-11-30T04:00:00.000Z' },
      );

      expect(store.getsSinceLost(key)).toBe(1);
      expect(summary).toMatchObject({ hoursRewritten: 1, recordsEnriched: 1 });
    });
  }
});
