import { describe, expect, it } from 'vitest';
import { eventsStoredElsewhere } from '../../../functions/core/ingest/events-stored-elsewhere.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { mergeIntoObject } from '../../../functions/core/lake/merge-write.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { eventRecordsOf } from '../../support/event-records-of.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: hour, endMs: hour + HOUR_MS };

/** A sign-in of `user` at `ms` (epoch ms), with `extra` fields in its entry. */
const signIn = (ms: number, user = '11', extra: Record<string, unknown> = {}) => ({
  actionType: 'LOGIN',
  userId: user,
  objectType: 'USER',
  time: ms,
  ...extra,
});

/** The records the ingest makes of entries served in one pull. */
const recordsOf = (...entries: object[]): EventRecord[] => eventRecordsOf(window, entries);

const added = { sessionId: 'abc' };
const at = (minute: number, ms = 0) => hour + minute * 60_000 + ms;

describe('eventsStoredElsewhere', () => {
  it('finds an event stored in the old shape, and only that one', () => {
    const stored = recordsOf(signIn(at(5)), signIn(at(6), '12'));
    const incoming = recordsOf(signIn(at(5), '11', added), signIn(at(7), '12', added));
    expect([...eventsStoredElsewhere(stored, incoming)]).toEqual([incoming[0]]);
  });

  it('matches as many identical twins as are stored: the rest are new', () => {
    const stored = recordsOf(signIn(at(5)), signIn(at(5)));
    const incoming = recordsOf(
      signIn(at(5), '11', added),
      signIn(at(5), '11', added),
      signIn(at(5), '11', added),
    );
    expect(incoming.map((record) => record.event_id.slice(64))).toEqual(['', '-1', '-2']);
    expect(eventsStoredElsewhere(stored, incoming).size).toBe(2);
    expect(eventsStoredElsewhere(stored, incoming.slice(0, 1)).size).toBe(1);
  });

  it('tells events apart by any column read, not by what the lake adds', () => {
    const stored = recordsOf(signIn(at(5), '11', { ipAddress: '81.2.69.142', objectName: 'Ada' }));
    const others = recordsOf(
      signIn(at(5), '11', { ipAddress: '81.2.69.143', objectName: 'Ada' }),
      signIn(at(5), '11', { ipAddress: '81.2.69.142', objectName: 'Ada L.' }),
      signIn(at(5), '11', { ipAddress: '81.2.69.142' }),
      signIn(at(5, 1), '11', { ipAddress: '81.2.69.142', objectName: 'Ada' }),
    );
    expect(eventsStoredElsewhere(stored, others).size).toBe(0);
    const enriched = stored.map((record) => ({ ...record, ip_country: 'GB', category: 'other' as const }));
    const same = recordsOf(signIn(at(5), '11', { ipAddress: '81.2.69.142', objectName: 'Ada', ...added }));
    expect(eventsStoredElsewhere(enriched, same).size).toBe(1);
  });

  it('matches a time string without milliseconds within its second', () => {
    const stored = recordsOf(signIn(at(5, 100)), signIn(at(5, 900)));
    const docString = (ms: number) => signIn(ms, '11', { time: formatDocString(ms, 'UTC') });
    // Both read 10:05:00, the second of the two: each answers for one stored event.
    const incoming = recordsOf(docString(at(5, 100)), docString(at(5, 900)));
    expect(eventsStoredElsewhere(stored, incoming).size).toBe(2);
    // Epoch ms is exact: a millisecond apart is another event.
    expect(eventsStoredElsewhere(stored, recordsOf(signIn(at(5, 101), '11', added))).size).toBe(0);
    // Cut or rounded to its second (Domo does not say which): a second either way, no further.
    const [next] = recordsOf(docString(at(5, 1000)));
    const [farther] = recordsOf(docString(at(5, 2000)));
    expect(eventsStoredElsewhere(stored.slice(1), [next as EventRecord]).size).toBe(1);
    expect(eventsStoredElsewhere(stored.slice(1), [farther as EventRecord]).size).toBe(0);
    // Two served events for one stored event: one answers for it, the other is new.
    const exact = recordsOf(signIn(at(5, 900), '11', added));
    const both = [...recordsOf(docString(at(5, 900))), ...exact];
    expect(eventsStoredElsewhere(stored.slice(1), both).size).toBe(1);
  });

  it('matches events repeated within a second in time order, so none takes its neighbour’s', () => {
    // Review R-DEDUP2: stored from a rounded string without ms, served again in epoch ms; served
    // newest first and matched nearest first, +1,804 took the record of +2,888 (10:10:03) and
    // +2,888 was stored again.
    const rounded = (ms: number) =>
      signIn(ms, '11', { time: new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z') });
    const times = [at(10, 323), at(10, 1804), at(10, 2888)];
    const stored = recordsOf(...times.map(rounded));
    const served = recordsOf(...times.map((ms) => signIn(ms, '11', added)).reverse());
    expect(eventsStoredElsewhere(stored, served).size).toBe(3);
  });

  it('leaves a late event just before a stored one to be stored, not the stored one again', () => {
    // Review R2-DRIFT: in time order alone the late event (a second-precision string a second
    // before, or a whole-second number within the second before) took the stored record, was
    // never stored, and the stored event's new shape was stored again.
    const docString = (ms: number) => signIn(ms, '11', { time: formatDocString(ms, 'UTC'), ...added });
    const stored = recordsOf(signIn(at(5, 0), '11', { time: formatDocString(at(5, 0), 'UTC') }));
    const [late, again] = recordsOf(docString(at(5, -1000)), docString(at(5, 0)));
    expect([...eventsStoredElsewhere(stored, [late as EventRecord, again as EventRecord])]).toEqual([again]);
    const withMs = recordsOf(signIn(at(5, 300)));
    const [wholeSecond, sameMs] = recordsOf(signIn(at(5, 0), '11', added), signIn(at(5, 300), '11', added));
    const found = eventsStoredElsewhere(withMs, [wholeSecond as EventRecord, sameMs as EventRecord]);
    expect([...found]).toEqual([sameMs]);
  });

  it('takes an empty string and a field left out as the same', () => {
    const stored = recordsOf(signIn(at(5, 100), '11', { actorName: '' }));
    const served = recordsOf(signIn(at(5, 100), '11', added));
    expect(eventsStoredElsewhere(stored, served).size).toBe(1);
  });
});

describe('an event merge told of events stored elsewhere', () => {
  const key = 'activity_log/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz';
  const options = {
    idOf: (record: EventRecord) => record.event_id,
    compare: (a: EventRecord, b: EventRecord) => a.event_time_ms - b.event_time_ms,
    storedElsewhere: eventsStoredElsewhere,
  };
  const storedOf = async (store: MemoryObjectStore) =>
    decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array()) as EventRecord[];

  it('keeps a late twin of a stored event served again under its own id', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, recordsOf(signIn(at(5))), options);
    // Domo now serves the sign-in twice: the first is the stored one (its id), the second is new.
    const result = await mergeIntoObject(store, key, recordsOf(signIn(at(5)), signIn(at(5))), options);
    expect(result).toMatchObject({ before: 1, after: 2, written: true, storedElsewhere: [] });
    expect(result.added.map((record) => record.event_id)).toEqual([
      `${result.added[0]?.event_id.slice(0, 64)}-1`,
    ]);
  });

  it('leaves out only what matches a stored record whose id was not served', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, recordsOf(signIn(at(5)), signIn(at(6), '12')), options);
    const before = await storedOf(store);
    // 10:05 is served in the new shape, 10:06 as before, and 10:07 is new.
    const incoming = recordsOf(signIn(at(5), '11', added), signIn(at(6), '12'), signIn(at(7), '13', added));
    const result = await mergeIntoObject(store, key, incoming, options);
    expect(result.storedElsewhere).toEqual([incoming[0]]);
    expect(result.added).toEqual([incoming[2]]);
    expect(result.ids).toEqual(new Set([...before.map((record) => record.event_id), incoming[2]?.event_id]));
    expect(await storedOf(store)).toEqual([...before, incoming[2]]);
  });

  it('is asked nothing when every stored id was served again, and writes nothing when all match', async () => {
    const store = new MemoryObjectStore();
    await mergeIntoObject(store, key, recordsOf(signIn(at(5))), options);
    const asked: number[] = [];
    const counting = {
      ...options,
      storedElsewhere: (stored: readonly EventRecord[], incoming: readonly EventRecord[]) => {
        asked.push(stored.length);
        return eventsStoredElsewhere(stored, incoming);
      },
    };
    await mergeIntoObject(store, key, recordsOf(signIn(at(5)), signIn(at(7), '13')), counting);
    expect(asked).toEqual([]);
    const puts = store.puts.length;
    const result = await mergeIntoObject(store, key, recordsOf(signIn(at(5), '11', added)), counting);
    expect(asked).toEqual([2]);
    expect(result).toMatchObject({ written: false, added: [], after: 2 });
    expect(store.puts).toHaveLength(puts);
  });
});
