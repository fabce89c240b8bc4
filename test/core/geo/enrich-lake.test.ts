import { describe, expect, it } from 'vitest';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { readCoverage, writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, coverageKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { GeoLookup } from '../../../functions/core/ports.ts';
import { event, manifest, withoutGeoColumns } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const HOUR = Date.parse('2026-10-01T10:00:00Z');

const lookup = (version: string): GeoLookup => ({
  version,
  lookup: (ip) => (ip === '8.8.8.8' ? { country: 'US', asn: 15169, org: 'Google LLC' } : undefined),
});

/** A record as written before enrichment existed: no geo keys at all. */
function oldRecord(time: string, ip: string | null) {
  const record = event(time, { ip_address: ip });
  expect([record.ip_country, record.ip_asn, record.ip_org, record.geo_db_version]).toEqual([
    null,
    null,
    null,
    null,
  ]);
  return withoutGeoColumns(record);
}

async function lakeWithOldHour() {
  const store = new MemoryObjectStore();
  const records = [oldRecord('2026-10-01 10:01:00', '8.8.8.8'), oldRecord('2026-10-01 10:02:00', null)];
  await store.put(activityKey('default', HOUR), encodeNdjsonGzip(records));
  await writeCoverage(store, 'default', manifest('2026-10-01 10:00'));
  return { store, records };
}

const options = {
  instance: 'default',
  fromMs: HOUR,
  toMs: HOUR + 2 * 3_600_000,
  nowIso: '2026-11-30T04:00:00.000Z',
};

describe('enrichLake', () => {
  it('fills the geo columns of old records in place and records it in coverage', async () => {
    const { store, records } = await lakeWithOldHour();
    const summary = await enrichLake({ store, geo: lookup('geo@2') }, options);
    expect(summary).toEqual({
      hours: 2,
      hoursRewritten: 1,
      hoursUpToDate: 0,
      hoursWithoutEvents: 0,
      // 11:00 has no object, no manifest and no checkpoint covers it: the lake never pulled it.
      hoursOutsideLake: 1,
      recordsEnriched: 1,
      geoDbVersion: 'geo@2',
    });
    const stored = decodeNdjsonGzip(
      (await store.get(activityKey('default', HOUR)))?.body ?? new Uint8Array(),
    );
    expect(stored).toEqual([
      { ...records[0], ip_country: 'US', ip_asn: 15169, ip_org: 'Google LLC', geo_db_version: 'geo@2' },
      // No address, nothing to look up: the record stays as it was (its geo columns read as null).
      records[1],
    ]);
    expect(await readCoverage(store, 'default', HOUR)).toMatchObject({
      window_start_ms: HOUR,
      geo_db_version: 'geo@2',
      enriched_at: '2026-11-30T04:00:00.000Z',
    });
  });

  it('leaves hours already enriched with the same database alone, and redoes them for a new one', async () => {
    const { store } = await lakeWithOldHour();
    await enrichLake({ store, geo: lookup('geo@2') }, options);
    const before = await store.get(activityKey('default', HOUR));
    const manifestBefore = await store.get(coverageKey('default', HOUR));
    const again = await enrichLake({ store, geo: lookup('geo@2') }, options);
    expect(again).toMatchObject({ hoursRewritten: 0, hoursUpToDate: 1, recordsEnriched: 0 });
    expect((await store.get(activityKey('default', HOUR)))?.etag).toBe(before?.etag);
    expect((await store.get(coverageKey('default', HOUR)))?.etag).toBe(manifestBefore?.etag);
    const newer = await enrichLake({ store, geo: lookup('geo@3') }, options);
    expect(newer).toMatchObject({ hoursRewritten: 1, recordsEnriched: 1 });
  });

  it('records in the manifest an hour a run rewrote but died before recording', async () => {
    const { store } = await lakeWithOldHour();
    await enrichLake({ store, geo: lookup('geo@2') }, options);
    // The manifest as it was before that run: the run died between the object and the manifest.
    await writeCoverage(store, 'default', manifest('2026-10-01 10:00'));
    const again = await enrichLake(
      { store, geo: lookup('geo@2') },
      { ...options, nowIso: '2026-11-30T05:00:00.000Z' },
    );
    expect(again).toMatchObject({ hoursRewritten: 0, hoursUpToDate: 1 });
    expect(await readCoverage(store, 'default', HOUR)).toMatchObject({
      geo_db_version: 'geo@2',
      enriched_at: '2026-11-30T05:00:00.000Z',
    });
  });

  it('counts each hour once: rewritten, up to date, without events, outside the lake', async () => {
    const { store } = await lakeWithOldHour();
    // 07:00 and 08:00 are below the watermark with neither object nor manifest: before the first
    // backfill, never pulled. 09:00 has a manifest and no object: pulled, no events. 10:00 holds old
    // records. 13:00 was never pulled.
    await advanceCheckpoint(store, 'default', {
      watermarkMs: HOUR - HOUR_MS,
      runId: 'fixture',
      codeVersion: 'test',
      now: HOUR,
    });
    await writeCoverage(store, 'default', manifest('2026-10-01 09:00'));
    // 11:00 was written after enrichment existed: its records already carry this version.
    await store.put(
      activityKey('default', HOUR + HOUR_MS),
      encodeNdjsonGzip([
        event('2026-10-01 11:05:00', {
          ip_address: '8.8.8.8',
          ip_country: 'US',
          ip_asn: 15169,
          ip_org: 'Google LLC',
          geo_db_version: 'geo@2',
        }),
      ]),
    );
    // 12:00 holds an object without records: pulled, no events.
    await store.put(activityKey('default', HOUR + 2 * HOUR_MS), encodeNdjsonGzip([]));
    const range = { ...options, fromMs: HOUR - 3 * HOUR_MS, toMs: HOUR + 4 * HOUR_MS };
    const first = await enrichLake({ store, geo: lookup('geo@2') }, range);
    expect(first).toEqual({
      hours: 7,
      hoursRewritten: 1,
      hoursUpToDate: 1,
      hoursWithoutEvents: 2,
      hoursOutsideLake: 3,
      recordsEnriched: 1,
      geoDbVersion: 'geo@2',
    });
    // Run again: every hour with events is now up to date; the others are counted as before.
    const second = await enrichLake({ store, geo: lookup('geo@2') }, range);
    expect(second).toEqual({ ...first, hoursRewritten: 0, hoursUpToDate: 2, recordsEnriched: 0 });
  });

  it('does not lose an event written by a concurrent ingest (the update is decided again)', async () => {
    const { store } = await lakeWithOldHour();
    const key = activityKey('default', HOUR);
    let raced = false;
    const racing = Object.create(store) as MemoryObjectStore;
    racing.put = async (k, body, opts) => {
      if (!raced && k === key) {
        raced = true;
        const current = decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array()) as object[];
        await store.put(key, encodeNdjsonGzip([...current, oldRecord('2026-10-01 10:03:00', '8.8.8.8')]));
      }
      return store.put(k, body, opts);
    };
    await enrichLake({ store: racing, geo: lookup('geo@2') }, options);
    const stored = decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array()) as {
      ip_country: unknown;
    }[];
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.ip_country)).toEqual(['US', undefined, 'US']);
  });
});
