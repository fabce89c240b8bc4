import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { fetchRange } from '../../../functions/core/ingest/fetch-range.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { nothingServedYet } from '../../../functions/core/ingest/page-end.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Two entries at the same ms, equal but for digits JSON.parse cannot hold: both parse to
// 12345678901234567000 (review R-HOSTILE2 M2, its server's mode `bigint`).
const hour = Date.parse('2026-12-01T01:00:00Z');
const at = hour + 17 * 60_000 + 123;
const served = (objectId: string, nested = false): MemoryEntry => {
  // Nested: the number in a field no column reads, the object id a string.
  const id = nested ? `"42","extra":{"ids":[${objectId}]}` : objectId;
  const text = `{"time":${at},"userId":"7","userName":"Ada","actionType":"VIEWED","objectType":"CARD","objectId":${id}}`;
  return { timeMs: at, entry: JSON.parse(text), text };
};
const A = '12345678901234567891';
const B = '12345678901234567892';

const pull = (entries: MemoryEntry[], store: MemoryObjectStore) =>
  runIngest(
    quietIngestDeps(new MemoryAuditSource(entries), store, hour + 30 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + HOUR_MS } },
  );

const storedEvents = (store: MemoryObjectStore): EventRecord[] => {
  const body = store.objects.get(activityKey('acme', hour))?.body;
  return body ? (decodeNdjsonGzip(body) as EventRecord[]) : [];
};

describe('entries that differ only in digits past 2^53 (review R-HOSTILE2 M2)', () => {
  it('stores both when the hour is pulled again with the other served first', async () => {
    const store = new MemoryObjectStore();
    expect(await pull([served(A)], store)).toMatchObject({ failures: [], eventsWritten: 1 });
    expect(await pull([served(B), served(A)], store)).toMatchObject({ failures: [], eventsWritten: 1 });
    const events = storedEvents(store);
    expect(events.map((e) => e.object_id).sort()).toEqual([A, B]);
    expect(events.map((e) => e.raw).sort()).toEqual([served(A).text, served(B).text]);
    // Neither is the other's twin: no `-1` id.
    expect(events.every((e) => !e.event_id.includes('-'))).toBe(true);
  });

  it('gives each the same id whatever the order served, a number nested in an array too', async () => {
    for (const nested of [false, true]) {
      const one = new MemoryObjectStore();
      const other = new MemoryObjectStore();
      await pull([served(A, nested), served(B, nested)], one);
      await pull([served(B, nested), served(A, nested)], other);
      const ids = (store: MemoryObjectStore) =>
        Object.fromEntries(storedEvents(store).map((e) => [e.raw, e.event_id]));
      expect(Object.keys(ids(one))).toHaveLength(2);
      expect(ids(one)).toEqual(ids(other));
    }
  });

  describe('a lake written before the fix, pulled again after it', () => {
    // The ingest imported fresh with ids built as before the fix, on the parsed entry only. Test
    // files share modules (isolate: false): the modules are reset again after, so no other file
    // sees the mock.
    const EXACT_NUMBERS = '../../../functions/core/domo/exact-numbers.ts';
    let legacyIngest: typeof runIngest;
    beforeAll(async () => {
      vi.resetModules();
      vi.doMock(EXACT_NUMBERS, async (importOriginal) => ({
        ...(await importOriginal<typeof import('../../../functions/core/domo/exact-numbers.ts')>()),
        exactValue: (value: unknown) => value,
      }));
      ({ runIngest: legacyIngest } = await import('../../../functions/core/ingest/run-ingest.ts'));
    });
    afterAll(() => {
      vi.doUnmock(EXACT_NUMBERS);
      vi.resetModules();
    });

    const pulledBeforeTheFix = async (...pulls: MemoryEntry[][]) => {
      const store = new MemoryObjectStore();
      for (const entries of pulls) {
        const result = await legacyIngest(
          quietIngestDeps(new MemoryAuditSource(entries), store, hour + 30 * HOUR_MS),
          { ...defaultIngestConfig('acme'), concurrency: 1 },
          { range: { fromMs: hour, toMs: hour + HOUR_MS } },
        );
        expect(result.failures).toEqual([]);
      }
      return store;
    };

    it('matches a stored entry under its old id to its new one: not stored again', async () => {
      const store = await pulledBeforeTheFix([served(A)]);
      const [old] = storedEvents(store);
      expect(await pull([served(A)], store)).toMatchObject({ failures: [], eventsWritten: 0, lateEvents: 0 });
      expect(storedEvents(store)).toEqual([old]);
    });

    it('gets back the entry the old ids lost; the extra copy of the other stays', async () => {
      const store = await pulledBeforeTheFix([served(A)], [served(B), served(A)]);
      expect(storedEvents(store).map((e) => e.object_id)).toEqual([A, A]);
      // B pairs with the stored extra copy of A (same time, all but the id alike), which is not
      // served again: counted as changed in value (since c764db41), not as a late event, which it
      // is not: Domo served B the first time too.
      expect(await pull([served(B), served(A)], store)).toMatchObject({
        failures: [],
        eventsWritten: 1,
        lateEvents: 0,
      });
      expect(
        storedEvents(store)
          .map((e) => e.object_id)
          .sort(),
      ).toEqual([A, A, B]);
    });
  });
});

// Six entries at one ms, equal but for digits past 2^53, among 16 others, served 10 to a page
// in a new tie order on each request: the rows re-read at each page's end are matched by content.
const tieTimeOf = (entry: unknown) => {
  const time = (entry as { time?: unknown }).time;
  return typeof time === 'number' ? time : undefined;
};
const row = (time: number, objectId: string): MemoryEntry => {
  const text = `{"time":${time},"userId":"7","userName":"Ada","actionType":"VIEWED","objectType":"CARD","objectId":${objectId}}`;
  return { timeMs: time, entry: JSON.parse(text), text };
};
const tiedAmongOthers = (): MemoryEntry[] => {
  const rows: MemoryEntry[] = [];
  for (let i = 0; i < 8; i++) rows.push(row(hour + HOUR_MS - 1000 * (i + 1), String(100 + i)));
  for (let k = 0; k < 6; k++) rows.push(row(hour + HOUR_MS - 20_000, `1234567890123456789${k}`));
  for (let i = 0; i < 8; i++) rows.push(row(hour + HOUR_MS - 1000 * (30 + i), String(200 + i)));
  return rows;
};
class TenAPage extends MemoryAuditSource {
  override fetchPage(query: AuditQuery) {
    return super.fetchPage({ ...query, limit: Math.min(query.limit, 10) });
  }
}

describe('a tie of entries that differ only past 2^53, across pages (review R-HOSTFIX M1)', () => {
  it('reads each tied entry once, whatever order each page serves the tie in', async () => {
    const rows = tiedAmongOthers();
    const held = rows.map((e) => e.text).sort();
    for (let seed = 0; seed < 40; seed++) {
      const source = new MemoryAuditSource(rows).shuffleTies(seed);
      const { entries } = await fetchRange(source, hour, hour + HOUR_MS, {
        maxPagesPerRange: 50,
        timeOf: tieTimeOf,
        pageSize: 10,
        largestPage: nothingServedYet(),
      });
      expect(entries.map((e) => e.text).sort(), `seed ${seed}`).toEqual(held);
    }
  });

  it('stores the same events on every re-pull of the hour', async () => {
    const store = new MemoryObjectStore();
    for (let seed = 0; seed < 6; seed++) {
      const source = new TenAPage(tiedAmongOthers()).shuffleTies(seed);
      const result = await runIngest(
        quietIngestDeps(source, store, hour + 30 * HOUR_MS),
        { ...defaultIngestConfig('acme'), concurrency: 1 },
        { range: { fromMs: hour, toMs: hour + HOUR_MS } },
      );
      expect(result.failures).toEqual([]);
      const events = storedEvents(store);
      expect(events, `pull ${seed}`).toHaveLength(22);
      expect(events.filter((e) => e.event_id.includes('-'))).toEqual([]);
      expect(new Set(events.map((e) => e.raw)).size).toBe(22);
    }
  });
});
