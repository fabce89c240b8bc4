import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { renderTime, type TimeFormat } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, type MemoryEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Domo has no event id: the lake's is a hash of the entry, which a change of shape changes. Each
// case pulls the same events twice, the second time in Domo's new shape.
const hour = Date.parse('2026-10-01T10:00:00Z');
const range = (hours = 1, from = hour) => ({ fromMs: from, toMs: from + hours * HOUR_MS });

type Shape = (entry: Record<string, unknown>, timeMs: number) => Record<string, unknown>;
const asServed: Shape = (entry) => entry;

/** A sign-in, a failed one twice in the same ms (twins), a lockout: times with milliseconds. */
const events = (shape: Shape, from = hour): MemoryEntry[] =>
  (
    [
      [from + 5 * 60_000 + 250, { actionType: 'LOGIN', eventText: 'Logged in', userId: '11' }],
      [from + 40 * 60_000 + 600, { actionType: 'LOGIN_FAILED', eventText: 'Failed login', userId: '12' }],
      [from + 40 * 60_000 + 600, { actionType: 'LOGIN_FAILED', eventText: 'Failed login', userId: '12' }],
      [from + 41 * 60_000 + 999, { actionType: 'LOCKED_OUT', eventText: 'User locked out', userId: '12' }],
    ] as const
  ).map(([timeMs, fields]) => {
    const entry = {
      ...fields,
      time: timeMs,
      userName: `User ${fields.userId}`,
      userType: 'USER',
      objectType: 'USER',
      objectId: fields.userId,
      ipAddress: '81.2.69.142',
    };
    return { timeMs, entry: shape(entry, timeMs) };
  });

const timeAs =
  (format: TimeFormat, zone = 'UTC'): Shape =>
  (entry, timeMs) => ({ ...entry, time: renderTime(timeMs, format, zone) });

const pull = (
  entries: MemoryEntry[],
  store: MemoryObjectStore,
  span = range(),
  config: Partial<IngestConfig> = {},
) =>
  runIngest(
    quietIngestDeps(new MemoryAuditSource(entries), store, hour + 30 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 1, ...config },
    { range: span },
  );

const stored = <T>(store: MemoryObjectStore, key: string): T[] => {
  const body = store.objects.get(key)?.body;
  return body ? (decodeNdjsonGzip(body) as T[]) : [];
};
const manifestOf = (store: MemoryObjectStore, at = hour) =>
  JSON.parse(new TextDecoder().decode(store.objects.get(coverageKey('acme', at))?.body));

describe('an hour pulled again after Domo changed the shape of its entries', () => {
  const cases: [string, Shape][] = [
    ['a field added', (entry) => ({ ...entry, sessionId: 'abc' })],
    [
      'ids sent as numbers',
      (entry) => ({ ...entry, userId: Number(entry.userId), objectId: Number(entry.objectId) }),
    ],
    ['time as an ISO string instead of epoch ms', timeAs('iso')],
    ["time as Domo's documented string, without milliseconds", timeAs('docString')],
  ];
  for (const [change, shape] of cases) {
    it(`keeps each event once (${change}): nothing late, nothing rewritten`, async () => {
      const store = new MemoryObjectStore();
      expect(await pull(events(asServed), store)).toMatchObject({ failures: [], eventsWritten: 4 });
      const before = store.objects.get(activityKey('acme', hour));
      const first = stored<EventRecord>(store, activityKey('acme', hour));

      const again = await pull(events(shape), store);

      expect(again).toMatchObject({ failures: [], eventsWritten: 0, lateEvents: 0, quarantined: 0 });
      // The stored records, ids and raw entries, are kept as they were: the object is not rewritten.
      expect(store.objects.get(activityKey('acme', hour))?.etag).toBe(before?.etag);
      expect(stored<EventRecord>(store, activityKey('acme', hour))).toEqual(first);
      expect(manifestOf(store)).toMatchObject({ event_count: 4, late_events: 0, fetch_count: 2 });
    });
  }

  it('stores what is new beside them: a third twin, and another event', async () => {
    const store = new MemoryObjectStore();
    await pull(events(asServed), store);
    const [, twin] = events(asServed);
    const newShape = (entry: Record<string, unknown>) => ({ ...entry, sessionId: 'abc' });
    const later: MemoryEntry[] = [
      ...events(newShape),
      { ...(twin as MemoryEntry), entry: newShape((twin as MemoryEntry).entry as Record<string, unknown>) },
      {
        timeMs: hour + 50 * 60_000,
        entry: newShape({ actionType: 'LOGIN', userId: '13', time: hour + 50 * 60_000 }),
      },
    ];

    expect(await pull(later, store)).toMatchObject({ failures: [], eventsWritten: 2, lateEvents: 2 });
    const records = stored<EventRecord>(store, activityKey('acme', hour));
    expect(records.filter((record) => record.action_type === 'LOGIN_FAILED')).toHaveLength(3);
    expect(records).toHaveLength(6);
  });
});

describe("the runbook's re-pull after Domo switched to its documented time string", () => {
  const zone = 'America/New_York';
  const newYorkString = timeAs('docString', zone);
  // Hours 10-11 stored while Domo served epoch ms; then its strings in New York time, read as UTC.
  const served = (shape: Shape) => [...events(shape, hour), ...events(shape, hour + HOUR_MS)];

  it('stores the hours stored before the switch once, and takes the others out of quarantine', async () => {
    const store = new MemoryObjectStore();
    await pull(served(asServed).slice(0, 4), store, range(1));
    // The next run pulls the first hour again (its lookback) and the second: all quarantined.
    const wrongZone = await pull(served(newYorkString), store, range(2));
    expect(wrongZone).toMatchObject({ eventsWritten: 0, quarantined: 8 });

    const fixed = await pull(served(newYorkString), store, range(2), { docTimeZone: zone });

    expect(fixed).toMatchObject({ failures: [], eventsWritten: 4, lateEvents: 0 });
    expect(stored<EventRecord>(store, activityKey('acme', hour))).toHaveLength(4);
    expect(stored<EventRecord>(store, activityKey('acme', hour + HOUR_MS))).toHaveLength(4);
    // The first hour's entries are stored under their epoch-ms ids, and leave quarantine all the same.
    expect(stored<QuarantineRecord>(store, quarantineKey('acme', hour))).toEqual([]);
    expect(stored<QuarantineRecord>(store, quarantineKey('acme', hour + HOUR_MS))).toEqual([]);
    expect(manifestOf(store)).toMatchObject({ event_count: 4, quarantined_count: 0, late_events: 0 });
  });
});
