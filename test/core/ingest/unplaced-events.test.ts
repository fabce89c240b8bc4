import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { GeoLookup, LogFields } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const range = { fromMs: day0, toMs: day0 + 6 * HOUR_MS };
const REASON =
  "cannot read the geo database /nonexistent (ENOENT: no such file or directory, open '/nonexistent')";

/** An entry with a public address, or with the text given for one. */
const fromAddress = (timeMs: number, n: number, ipAddress = '8.8.8.8'): MemoryEntry => {
  const base = viewEntry(timeMs, n);
  return { ...base, entry: { ...(base.entry as Record<string, unknown>), ipAddress } };
};

// Hours 1 and 3 hold events with an address (2 + 1); every hour holds one without (no geo to add).
const entries: MemoryEntry[] = [
  ...Array.from({ length: 6 }, (_, h) => viewEntry(day0 + h * HOUR_MS + 60_000, h)),
  fromAddress(day0 + HOUR_MS + 120_000, 10),
  fromAddress(day0 + HOUR_MS + 180_000, 11),
  fromAddress(day0 + 3 * HOUR_MS + 120_000, 12),
];

const placing: GeoLookup = {
  version: 'test-db',
  lookup: () => ({ country: 'US', asn: 15169, org: 'Google LLC' }),
};

function setup(geo: Pick<IngestDeps, 'geo' | 'geoUnavailable'>) {
  const counts = new Map<string, number>();
  const warnings: { message: string; fields?: LogFields }[] = [];
  const store = new MemoryObjectStore();
  const deps: IngestDeps = {
    ...noWaits,
    source: new MemoryAuditSource(entries),
    store,
    clock: { now: () => now },
    log: { debug() {}, info() {}, error() {}, warn: (message, fields) => warnings.push({ message, fields }) },
    metrics: { count: (name, value) => counts.set(name, (counts.get(name) ?? 0) + value) },
    ...geo,
  };
  return { deps, counts, warnings };
}

const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };

describe('an ingest without its geo database', () => {
  it('counts the events with an address it stored without geo columns, says why and which hours', async () => {
    const { deps, counts, warnings } = setup({ geoUnavailable: REASON });
    const summary = await runIngest(deps, config, { range });
    expect(summary).toMatchObject({
      eventsWritten: 9,
      eventsUnplaced: 3,
      geoUnavailable: REASON,
      unplacedRange: { fromMs: day0 + HOUR_MS, toMs: day0 + 4 * HOUR_MS },
      outcome: 'complete',
    });
    expect(counts.get(INGEST_METRICS.eventsUnplaced)).toBe(3);
    expect(warnings).toEqual([
      {
        message:
          'events stored without geo columns: the geo database is unavailable, so the country and network checks cannot judge them',
        fields: {
          eventsUnplaced: 3,
          reason: REASON,
          from: '2026-10-01T01:00:00.000Z',
          to: '2026-10-01T04:00:00.000Z',
          fix: 'make the geo database loadable (redeploy, or check its path), then enrich these hours',
        },
      },
    ]);
  });

  it('counts only what it stored: a re-pull of hours already in the lake adds no unplaced event', async () => {
    const { deps } = setup({ geoUnavailable: REASON });
    await runIngest(deps, config, { range });
    const again = await runIngest(deps, config, { range });
    expect(again).toMatchObject({
      eventsWritten: 0,
      eventsUnplaced: 0,
      geoUnavailable: REASON,
      unplacedRange: null,
    });
  });

  it('with the database loaded, counts nothing and publishes no EventsUnplaced data point', async () => {
    const { deps, counts, warnings } = setup({ geo: placing });
    const summary = await runIngest(deps, config, { range });
    expect(summary).toMatchObject({
      eventsWritten: 9,
      eventsUnplaced: 0,
      geoUnavailable: null,
      unplacedRange: null,
    });
    expect(counts.has(INGEST_METRICS.eventsUnplaced)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('a lookup given wins over a reason for not having one', async () => {
    const { deps } = setup({ geo: placing, geoUnavailable: REASON });
    expect(await runIngest(deps, config, { range })).toMatchObject({
      eventsUnplaced: 0,
      geoUnavailable: null,
    });
  });

  // LOW 6: a text without a dot or a colon names no address (ip-network.ts isNoAddress,
  // data_health.sql): no geo database places it, and enriching its hour would place nothing.
  it('counts no event whose address text names no address', async () => {
    const noAddress = ['unknown', '-', '', 'n/a', ' '].map((text, n) =>
      fromAddress(day0 + 4 * HOUR_MS + (n + 1) * 60_000, 20 + n, text),
    );
    const { deps, counts } = setup({ geoUnavailable: REASON });
    deps.source = new MemoryAuditSource([...entries, ...noAddress]);
    const summary = await runIngest(deps, config, { range });
    expect(summary).toMatchObject({
      eventsWritten: 14,
      eventsUnplaced: 3,
      unplacedRange: { fromMs: day0 + HOUR_MS, toMs: day0 + 4 * HOUR_MS },
    });
    expect(counts.get(INGEST_METRICS.eventsUnplaced)).toBe(3);
  });

  it('publishes a zero for quiet hours while the database is unavailable, so the metric shows it is still missing', async () => {
    const { deps, counts } = setup({ geoUnavailable: REASON });
    const quiet = { fromMs: day0 + 4 * HOUR_MS, toMs: day0 + 6 * HOUR_MS };
    const summary = await runIngest(deps, config, { range: quiet });
    expect(summary).toMatchObject({ eventsWritten: 2, eventsUnplaced: 0, unplacedRange: null });
    expect(counts.get(INGEST_METRICS.eventsUnplaced)).toBe(0);
  });
});
