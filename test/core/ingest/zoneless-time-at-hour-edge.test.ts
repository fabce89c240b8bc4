import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/*
 * Domo's documented time strings carry no zone: they are read in `docTimeZone`. Read in a wrong
 * one, every time is an hour or more off and is quarantined as outside its hour's request, except
 * those that land within the second of slack the request allows at its edges: such an entry read
 * as a neighbouring hour's was left to that hour, whose request never returns it.
 */

const day0 = Date.parse('2026-10-01T10:00:00Z');
const range = { fromMs: day0, toMs: day0 + 2 * HOUR_MS };

/** An entry at `timeMs` whose time Domo writes on a wall clock of `zone`, without the zone. */
const zoneless = (timeMs: number, n: number, zone: string): MemoryEntry => {
  const view = viewEntry(timeMs, n);
  return { ...view, entry: { ...(view.entry as object), time: formatDocString(timeMs, zone) } };
};

const pull = (source: MemoryAuditSource, store: MemoryObjectStore, docTimeZone: string) =>
  runIngest(
    quietIngestDeps(source, store, day0 + 3 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1, docTimeZone },
    { range },
  );

async function quarantineReasons(store: MemoryObjectStore, hourMs: number): Promise<string[]> {
  const object = await store.get(quarantineKey('acme', hourMs));
  return object ? (decodeNdjsonGzip(object.body) as QuarantineRecord[]).map((r) => r.reason) : [];
}

const edgeReason = expect.stringMatching(
  /falls just outside this hour, but Domo does not return the entry for that second: .*Set docTimeZone to the zone Domo writes its times in/,
);

describe('a zone-less time read in a wrong docTimeZone', () => {
  // Lagos is an hour ahead of UTC, Cape Verde an hour behind, all year. Read as UTC, Lagos's
  // entries at 10:00:00.400 and 10:00:01.300 read 11:00:00 and 11:00:01 (the next hour's first
  // seconds), Cape Verde's at 11:59:59.700 reads 10:59:59 (the hour before's last second).
  it.each([
    ['Africa/Lagos', [day0 + 400, day0 + 1_300, day0 + 30 * 60_000, day0 + HOUR_MS + 5 * 60_000], [3, 1]],
    [
      'Atlantic/Cape_Verde',
      [day0 + 2 * HOUR_MS - 300, day0 + 20 * 60_000, day0 + HOUR_MS + 20 * 60_000],
      [1, 2],
    ],
  ])(
    '(%s) is quarantined with the reason at the edge of its hour, never dropped',
    async (zone, times, perHour) => {
      const source = new MemoryAuditSource(times.map((t, n) => zoneless(t, n, zone)));
      const store = new MemoryObjectStore();
      const wrong = await pull(source, store, 'UTC');
      // Every entry is set aside where Domo placed it: none is left to a neighbour that never gets it.
      expect(wrong).toMatchObject({
        failures: [],
        eventsWritten: 0,
        quarantined: times.length,
        outOfWindow: times.length,
      });
      for (const [i, count] of perHour.entries()) {
        expect(await readCoverage(store, 'acme', day0 + i * HOUR_MS)).toMatchObject({
          quarantined_count: count,
          out_of_window_count: count,
        });
      }
      const reasons = [
        ...(await quarantineReasons(store, day0)),
        ...(await quarantineReasons(store, day0 + HOUR_MS)),
      ];
      expect(reasons.filter((r) => r.includes('just outside'))).toEqual(
        times.filter((t) => t % HOUR_MS < 2_000 || t % HOUR_MS > HOUR_MS - 1_000).map(() => edgeReason),
      );
      expect(await verifyLake(store, 'acme')).toMatchObject({
        ok: true,
        events: 0,
        quarantined: times.length,
        outOfWindow: times.length,
      });

      // Pulled again in the zone Domo writes, each is an event of its hour and leaves quarantine.
      await pull(source, store, zone);
      expect(await verifyLake(store, 'acme')).toMatchObject({
        ok: true,
        events: times.length,
        quarantined: 0,
      });
    },
  );
});

describe('a zone-less time read in the right docTimeZone, a second before the hour', () => {
  it("is the hour before's event, confirmed by a request of its second, and not quarantined", async () => {
    // 10:59:59.999 reads 10:59:59, and Domo's inclusive `start` returns it for 11:00 too.
    const source = new MemoryAuditSource([
      zoneless(day0 + HOUR_MS - 1, 1, 'UTC'),
      zoneless(day0 + HOUR_MS + 60_000, 2, 'UTC'),
    ]);
    const store = new MemoryObjectStore();
    const pulled = await pull(source, store, 'UTC');
    expect(pulled).toMatchObject({ failures: [], eventsWritten: 2, quarantined: 0, outOfWindow: 0 });
    expect(await readCoverage(store, 'acme', day0)).toMatchObject({ event_count: 1 });
    expect(await readCoverage(store, 'acme', day0 + HOUR_MS)).toMatchObject({ event_count: 1 });
    // The one check: a read of 10:59:59 alone (one ms early, to the second's end), of one or more pages.
    const secondReads = new Set(
      source.queries.filter((q) => q.end - q.start <= 1_001).map((q) => `${q.start}..${q.end}`),
    );
    expect([...secondReads]).toEqual([`${day0 + HOUR_MS - 1_001}..${day0 + HOUR_MS}`]);
  });
});

describe('a zone-less time of the repeated hour read in a wrong docTimeZone (clocks going back)', () => {
  // 2026-11-01: New York repeats 1 AM at 05:00-07:00 UTC, Chicago at 06:00-08:00 UTC. Written in
  // Chicago, 07:59:59.500 UTC reads `01:59:59 AM`; as New York's time, 05:59:59 or 06:59:59 UTC.
  // Neither is in its hour (07:00), the later one is just before it: left to 06:00, whose request
  // never returns it, it was stored nowhere.
  const from = Date.parse('2026-11-01T03:00:00Z');
  const pullDst = (source: MemoryAuditSource, store: MemoryObjectStore, docTimeZone: string) =>
    runIngest(
      quietIngestDeps(source, store, from + 12 * HOUR_MS),
      { ...defaultIngestConfig('acme'), concurrency: 1, docTimeZone },
      { range: { fromMs: from, toMs: from + 8 * HOUR_MS } },
    );

  it('is quarantined with the reason when its chosen reading is just outside the hour', async () => {
    const lastSecond = Date.parse('2026-11-01T07:59:59.500Z');
    const source = new MemoryAuditSource([
      zoneless(lastSecond, 1, 'America/Chicago'),
      zoneless(from + 30 * 60_000, 2, 'America/Chicago'),
    ]);
    const store = new MemoryObjectStore();
    const wrong = await pullDst(source, store, 'America/New_York');
    expect(wrong).toMatchObject({ failures: [], eventsWritten: 0, quarantined: 2 });
    expect(await quarantineReasons(store, Date.parse('2026-11-01T07:00:00Z'))).toEqual([edgeReason]);

    await pullDst(source, store, 'America/Chicago');
    expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, events: 2, quarantined: 0 });
  });

  it.each([
    ['America/Chicago', 'America/New_York', '2026-11-01T07:59:59.500Z'],
    ['America/Chicago', 'America/New_York', '2026-11-01T07:00:00.300Z'],
    ['America/Chicago', 'America/New_York', '2026-11-01T06:59:59.300Z'],
    ['America/Chicago', 'America/New_York', '2026-11-01T08:00:00.300Z'],
    ['America/New_York', 'America/Chicago', '2026-11-01T06:59:59.500Z'],
    ['America/New_York', 'America/Chicago', '2026-11-01T06:00:00.500Z'],
    ['America/New_York', 'America/Chicago', '2026-11-01T07:00:00.500Z'],
    ['America/New_York', 'America/Chicago', '2026-11-01T05:59:59.500Z'],
  ])('written in %s, read as %s: %s is stored or quarantined, never dropped', async (writes, reads, at) => {
    const source = new MemoryAuditSource([
      zoneless(Date.parse(at), 1, writes),
      zoneless(from + 30 * 60_000, 2, writes),
    ]);
    const store = new MemoryObjectStore();
    const pulled = await pullDst(source, store, reads);
    expect(pulled.failures).toEqual([]);
    expect(pulled.eventsWritten + pulled.quarantined).toBe(2);
    const verified = await verifyLake(store, 'acme');
    expect(verified.ok).toBe(true);
    expect(verified.events + verified.quarantined).toBe(2);
  });
});
