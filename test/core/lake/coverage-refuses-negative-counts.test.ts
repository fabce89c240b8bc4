import { describe, expect, it } from 'vitest';
import { listCoverage, readCoverage } from '../../../functions/core/lake/coverage.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { coverageManifestOf } from '../../support/coverage-manifest-fixture.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const start = Date.parse('2026-10-01T10:00:00Z');
const manifest = coverageManifestOf(start);

// A negative count is a hand-edited or corrupt manifest: summed into verify's totals or status's
// figures it would hide events. (out_of_window_count has its own tests.)
const counts = [
  'event_count',
  'quarantined_count',
  'pages',
  'requests',
  'fetch_count',
  'late_events',
  'late_events_total',
] as const;

describe('a coverage manifest with a negative count', () => {
  it.each(counts)('is refused when %s is -1, read alone or listed', async (field) => {
    const store = new MemoryObjectStore();
    store.putNow(
      coverageKey('acme', start),
      new TextEncoder().encode(`${JSON.stringify({ ...manifest, [field]: -1 })}\n`),
    );
    const message = new RegExp(
      `is invalid \\(field ${field}: .*\\): keep a copy of it first, .*then delete it and pull that hour again`,
    );
    await expect(readCoverage(store, 'acme', start)).rejects.toThrow(message);
    const listing = async () => {
      for await (const _ of listCoverage(store, 'acme', start, start + HOUR_MS));
    };
    await expect(listing()).rejects.toThrow(message);
  });

  it('is read when every count is zero', async () => {
    const store = new MemoryObjectStore();
    const zero = { ...manifest, ...Object.fromEntries(counts.map((field) => [field, 0])) };
    store.putNow(coverageKey('acme', start), new TextEncoder().encode(`${JSON.stringify(zero)}\n`));
    expect(await readCoverage(store, 'acme', start)).toEqual(zero);
  });
});
