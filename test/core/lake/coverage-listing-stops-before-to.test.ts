import { describe, expect, it } from 'vitest';
import { listCoverage, writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { coverageManifestOf } from '../../support/coverage-manifest-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const manifest = (windowStartMs: number) => coverageManifestOf(windowStartMs, 1);

const h = (hour: number) => Date.parse('2026-10-01T00:00:00Z') + hour * HOUR_MS;

// The day partition holding `toMs` is listed whole: only the per-key bound keeps the hour that
// starts at `toMs` (and later ones) out, e.g. status's hour in progress and verify's bounds. A
// `toMs` at midnight needs no LIST of the day it starts (one request per call, on S3).
describe('listCoverage', () => {
  it('stops before the window that starts at toMs, inside the same day partition', async () => {
    const store = new MemoryObjectStore();
    for (const hour of [4, 5, 6, 7, 8]) await writeCoverage(store, 'acme', manifest(h(hour)));
    const listed: number[] = [];
    for await (const m of listCoverage(store, 'acme', h(5), h(7))) listed.push(m.window_start_ms);
    expect(listed).toEqual([h(5), h(6)]);
  });

  it('lists no partition of the day toMs starts when toMs is midnight', async () => {
    const store = new MemoryObjectStore();
    for (const hour of [22, 23, 24]) await writeCoverage(store, 'acme', manifest(h(hour)));
    const prefixes: string[] = [];
    const list = store.list.bind(store);
    store.list = (prefix: string) => {
      prefixes.push(prefix);
      return list(prefix);
    };
    const listed: number[] = [];
    for await (const m of listCoverage(store, 'acme', h(22), h(24))) listed.push(m.window_start_ms);
    expect(listed).toEqual([h(22), h(23)]);
    expect(prefixes).toEqual(['coverage/instance=acme/dt=2026-10-01/']);
  });
});
