import { describe, expect, it } from 'vitest';
import type { AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import {
  BOUNDS,
  loginAt,
  storedAs,
  storedEvents,
  truthOf,
  withBounds,
} from '../../support/repeated-hour-lake.ts';

// Clocks go back in New York at 2026-11-01T06:00Z: 01:00-01:59 local is 05:00Z-05:59Z (EDT), then
// 06:00Z-06:59Z (EST); Domo's documented time strings name both hours alike.
const zone = 'America/New_York';
const now = Date.parse('2026-11-02T00:00:00Z');

const login = (iso: string, user: string): MemoryEntry => loginAt(zone, iso, user);

async function ingest(source: AuditSource, range?: { fromMs: number; toMs: number }) {
  const store = new MemoryObjectStore();
  const deps: IngestDeps = {
    ...noWaits,
    source,
    store,
    clock: { now: () => now },
    log: silentLog,
    metrics: { count: () => {} },
  };
  const config = { ...defaultIngestConfig('acme'), docTimeZone: zone };
  const summary = await runIngest(deps, config, range ? { range } : {});
  return { store, summary };
}

describe('an entry at an edge of the repeated hour (clocks going back)', () => {
  const range = { fromMs: Date.parse('2026-11-01T04:00:00Z'), toMs: Date.parse('2026-11-01T08:00:00Z') };

  for (const [startInclusive, endInclusive] of BOUNDS) {
    const bounds = `start ${startInclusive ? 'inclusive' : 'exclusive'}, end ${endInclusive ? 'inclusive' : 'exclusive'}`;

    it(`is stored once, in its own hour, whatever Domo's bounds (${bounds})`, async () => {
      // "01:00:00 AM" of the second 01:00 (its earlier reading starts 05:00Z) and "01:59:59 AM" of
      // the first (its later reading ends 06:00Z): each read both ways fits a neighbour's request.
      const entries = [login('2026-11-01T06:00:00.000Z', 'a'), login('2026-11-01T05:59:59.999Z', 'b')];
      const { store } = await ingest(
        withBounds(new MemoryAuditSource(entries), startInclusive, endInclusive),
        range,
      );
      expect(storedAs(await storedEvents(store))).toEqual(truthOf(entries));
      const report = await verifyLake(store, 'acme', range);
      expect(report).toMatchObject({ ok: true, duplicateIds: 0, outOfWindow: 0, quarantined: 0 });
    });

    it(`keeps identical entries of the two readings apart, each in its hour (${bounds})`, async () => {
      // Twins by content: one of each pair in either occurrence of the repeated hour, one of them at
      // the edge instant its neighbour's request may return. Each hour keeps its own copy only.
      const entries = [
        login('2026-11-01T05:00:00.400Z', 'c'),
        login('2026-11-01T06:00:00.000Z', 'c'),
        login('2026-11-01T05:59:59.999Z', 'd'),
        login('2026-11-01T06:59:59.300Z', 'd'),
        login('2026-11-01T05:00:00.700Z', 'e'),
        login('2026-11-01T05:00:00.900Z', 'e'),
      ];
      const { store } = await ingest(
        withBounds(new MemoryAuditSource(entries), startInclusive, endInclusive),
        range,
      );
      expect(storedAs(await storedEvents(store))).toEqual(truthOf(entries));
    });
  }

  it('costs one request of the edge second per hour in doubt, and none in other hours', async () => {
    const source = new MemoryAuditSource([
      login('2026-11-01T06:00:00.000Z', 'a'),
      login('2026-11-01T05:59:59.999Z', 'b'),
    ]);
    await ingest(source, range);
    const seconds = source.queries
      .filter((q) => q.end - q.start === 1001)
      .map((q) => new Date(q.start + 1).toISOString());
    expect(seconds.sort()).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T06:59:59.000Z']);
  });
});

it('stores every event of a 90-day backfill over the repeated hour once, at its own time', async () => {
  // 50 entries an hour around the change, one at 06:00:00.000Z exactly (the second 01:00:00 AM).
  const from = Date.parse('2026-11-01T03:00:00Z');
  const entries: MemoryEntry[] = [];
  for (let h = 0; h < 6; h++) {
    for (let i = 0; i < 50; i++) {
      const ms = from + h * HOUR_MS + Math.floor((i * HOUR_MS) / 50) + (i % 997);
      entries.push({ ...login(new Date(ms).toISOString(), String(entries.length)), timeMs: ms });
    }
  }
  const { store, summary } = await ingest(new MemoryAuditSource(entries));
  expect(summary).toMatchObject({ windowsFailed: 0, quarantined: 0 });
  expect(storedAs(await storedEvents(store))).toEqual(truthOf(entries));
}, 60_000);
