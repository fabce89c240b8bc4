import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { readCoverage, writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { GeoLookup } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { event, manifest } from '../../queries/support/lake-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const HOUR = Date.parse('2026-11-17T09:00:00Z');
const geo: GeoLookup = { version: 'geo@2', lookup: () => undefined };
const options = {
  instance: 'default',
  fromMs: HOUR,
  toMs: HOUR + HOUR_MS,
  nowIso: '2026-12-01T21:00:00.000Z',
};
const raw = '{"userName":"Bo \\ud83d"}';

// An hour enriched with this very database, stored before the ingest replaced lone surrogates: only
// the half emoji needs a rewrite, and enrich (the lake's in-place rewrite) is what does it.
it('rewrites an up-to-date hour whose record holds a lone surrogate, ids and raw kept, once', async () => {
  const store = new MemoryObjectStore();
  const enriched = { geo_db_version: 'geo@2' };
  const ada = event('2026-11-17 09:00:00', { user_name: 'Ada', ...enriched });
  const bo = event('2026-11-17 09:10:00', {
    user_name: 'Bo \ud83d',
    object_name: 'x\udc00',
    raw,
    ...enriched,
  });
  const key = activityKey('default', HOUR);
  // As the writer stored it then: JSON.stringify's lines, the lone surrogate as a `\ud83d` escape.
  await store.put(key, gzipSync([ada, bo].map((record) => `${JSON.stringify(record)}\n`).join('')));
  await writeCoverage(store, 'default', manifest('2026-11-17 09:00'));

  const first = await enrichLake({ store, geo }, options);
  expect(first).toMatchObject({
    hoursRewritten: 1,
    hoursUpToDate: 0,
    recordsEnriched: 0,
    recordsRepaired: 1,
  });
  const stored = decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array());
  expect(stored).toEqual([ada, { ...bo, user_name: 'Bo \ufffd', object_name: 'x\ufffd' }]);

  const second = await enrichLake({ store, geo }, options);
  expect(second).toMatchObject({ hoursRewritten: 0, hoursUpToDate: 1, recordsRepaired: 0 });
});

// A quarantine file is never rewritten by a re-pull (the stored record wins) and has no geo columns:
// one whose reason quoted half an emoji stayed refused by DuckDB until enrich repaired it too.
it("rewrites the hour's quarantine object when a record holds a lone surrogate, once", async () => {
  const store = new MemoryObjectStore();
  const held = {
    quarantine_id: 'q-1',
    reason: 'time "2026-11-17T09:00:00\ud83d" matches no known format',
    raw: '{"time":"2026-11-17T09:00:00\\ud83d"}',
    window_start_ms: HOUR,
  };
  const clean = { ...held, quarantine_id: 'q-2', reason: 'entry has no time field', raw: '{}' };
  const key = quarantineKey('default', HOUR);
  await store.put(key, gzipSync([held, clean].map((record) => `${JSON.stringify(record)}\n`).join('')));
  await writeCoverage(store, 'default', manifest('2026-11-17 09:00'));

  const first = await enrichLake({ store, geo }, options);
  // Counted, and noted in the hour's manifest, as any rewrite of enrich.
  expect(first).toMatchObject({ recordsRepaired: 1, hoursRewritten: 1, hoursUpToDate: 0 });
  expect(await readCoverage(store, 'default', HOUR)).toMatchObject({ enriched_at: options.nowIso });
  const stored = decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array());
  expect(stored).toEqual([
    { ...held, reason: 'time "2026-11-17T09:00:00\ufffd" matches no known format' },
    clean,
  ]);

  const etag = (await store.get(key))?.etag;
  expect(await enrichLake({ store, geo }, options)).toMatchObject({ recordsRepaired: 0 });
  expect((await store.get(key))?.etag).toBe(etag);
});
