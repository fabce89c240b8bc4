import { describe, expect, it } from 'vitest';
import {
  coverageKeys,
  coveredHourSet,
  firstCoveredHour,
  listCoverage,
  readCoverage,
  writeCoverage,
} from '../../../functions/core/lake/coverage.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { collect } from '../../support/collect.ts';
import { coverageManifestOf } from '../../support/coverage-manifest-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { SIX_HOUR_LAKE_NOW, SIX_HOUR_LAKE_START, sixHourLake } from '../../support/six-hour-lake.ts';

const manifest = coverageManifestOf;

const at = (iso: string) => Date.parse(iso);

describe('coverage manifests', () => {
  it('round-trip as one JSON line at the window’s coverage key', async () => {
    const store = new MemoryObjectStore();
    const start = at('2026-10-01T10:00:00Z');
    const { key } = await writeCoverage(store, 'acme', manifest(start));
    expect(key).toBe(coverageKey('acme', start));
    const text = new TextDecoder().decode(store.objects.get(key)?.body);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(store.puts[0]?.options.contentType).toBe('application/json');
    expect(await readCoverage(store, 'acme', start)).toEqual(manifest(start));
    expect(await readCoverage(store, 'acme', start + HOUR_MS)).toBeUndefined();
  });

  it('lists the windows of [from, to) across day partitions, oldest first', async () => {
    const store = new MemoryObjectStore();
    const hours = ['2026-09-30T23', '2026-10-01T00', '2026-10-01T05', '2026-10-02T23', '2026-10-03T00'];
    for (const hour of [...hours].reverse())
      await writeCoverage(store, 'acme', manifest(at(`${hour}:00:00Z`)));
    await writeCoverage(store, 'globex', manifest(at('2026-10-01T06:00:00Z')));

    const listed = await collect(
      listCoverage(store, 'acme', at('2026-10-01T00:00:00Z'), at('2026-10-03T00:00:00Z')),
    );
    expect(listed.map((m) => new Date(m.window_start_ms).toISOString().slice(0, 13))).toEqual([
      '2026-10-01T00',
      '2026-10-01T05',
      '2026-10-02T23',
    ]);
    const mid = await collect(
      listCoverage(store, 'acme', at('2026-10-01T01:00:00Z'), at('2026-10-01T06:00:00Z')),
    );
    expect(mid.map((m) => m.window_start_ms)).toEqual([at('2026-10-01T05:00:00Z')]);
  });

  it('lists one day partition at a time', async () => {
    const store = new MemoryObjectStore();
    const prefixes: string[] = [];
    const list = store.list.bind(store);
    store.list = (prefix: string) => {
      prefixes.push(prefix);
      return list(prefix);
    };
    await collect(listCoverage(store, 'acme', at('2026-10-01T12:00:00Z'), at('2026-10-03T01:00:00Z')));
    expect(prefixes).toEqual([
      'coverage/instance=acme/dt=2026-10-01/',
      'coverage/instance=acme/dt=2026-10-02/',
      'coverage/instance=acme/dt=2026-10-03/',
    ]);
  });

  it('lists no further day once stopped: across empty days it lists on without yielding', async () => {
    const store = new MemoryObjectStore();
    await writeCoverage(store, 'acme', manifest(at('2026-10-01T05:00:00Z')));
    const stop = new AbortController();
    const prefixes: string[] = [];
    const list = store.list.bind(store);
    store.list = (prefix: string) => {
      prefixes.push(prefix);
      // The read that failed while the listing walks the empty days after the lake's end.
      if (prefixes.length === 3) stop.abort(new Error('GET failed'));
      return list(prefix);
    };
    const keys = coverageKeys(
      store,
      'acme',
      at('2026-10-01T00:00:00Z'),
      at('2027-10-01T00:00:00Z'),
      stop.signal,
    );
    await expect(collect(keys)).rejects.toThrow('GET failed');
    expect(prefixes).toHaveLength(3);
  });

  it('explains an invalid manifest and how to recover', async () => {
    const store = new MemoryObjectStore();
    const start = at('2026-10-01T10:00:00Z');
    store.putNow(coverageKey('acme', start), new TextEncoder().encode('{"window_start_ms":'));
    await expect(readCoverage(store, 'acme', start)).rejects.toThrow(
      /coverage manifest coverage\/instance=acme\/dt=2026-10-01\/2026-10-01T10\.json .*is invalid \(not valid JSON.*delete it/,
    );
    // Never deletion alone: on a lake on disk the manifest is the only copy of what may be evidence
    // (review R-AUDITOR M4).
    await expect(readCoverage(store, 'acme', start)).rejects.toThrow(
      /keep a copy of it first.*then delete it/,
    );
    store.putNow(
      coverageKey('acme', start),
      new TextEncoder().encode(JSON.stringify(manifest(start + HOUR_MS))),
    );
    await expect(readCoverage(store, 'acme', start)).rejects.toThrow(/does not match the key/);
    const { pages: _pages, ...noPages } = manifest(start);
    store.putNow(coverageKey('acme', start), new TextEncoder().encode(JSON.stringify(noPages)));
    await expect(readCoverage(store, 'acme', start)).rejects.toThrow(/invalid \(field pages/);
  });
});

// Review R-AHEAD2 (4): any key of the coverage folder whose name parsed to an hour counted as its
// manifest, so a stray file made its hour covered for status and alerts (and for verify, which
// read it as the hour's manifest: a missing one was no gap).
describe('a stray file of the coverage folder named for an hour', () => {
  const stray = [
    'coverage/instance=acme/dt=2026-09-30/2026-09-30T05.ndjson.gz',
    'coverage/instance=acme/dt=2026-09-30/old/dt=2026-09-30/2026-09-30T09.json',
  ];
  const planted = () => {
    const store = new MemoryObjectStore();
    for (const key of stray) store.putNow(key, new Uint8Array());
    return store;
  };

  it('is no covered hour, nor the first one', async () => {
    const store = planted();
    const real = at('2026-10-01T10:00:00Z');
    await writeCoverage(store, 'acme', manifest(real));
    expect([...(await coveredHourSet(store, 'acme'))]).toEqual([real]);
    expect(await firstCoveredHour(store, 'acme')).toBe(real);
    const day = at('2026-09-30T00:00:00Z');
    expect(await collect(coverageKeys(store, 'acme', day, day + 24 * HOUR_MS))).toEqual([]);
  });

  it('hides no missing manifest from verify', async () => {
    const lake = await sixHourLake();
    const hour2 = SIX_HOUR_LAKE_START + 2 * HOUR_MS;
    lake.objects.delete(coverageKey('acme', hour2));
    const misnamed = coverageKey('acme', hour2).replace(/\.json$/, '.ndjson.gz');
    lake.putNow(misnamed, new Uint8Array());
    const report = await verifyLake(lake, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW });
    expect(report.gaps).toEqual([{ fromMs: hour2, toMs: hour2 + HOUR_MS }]);
    expect(report).toMatchObject({ foreignKeys: [misnamed], unreadableCount: 0, ok: false });
  });
});
