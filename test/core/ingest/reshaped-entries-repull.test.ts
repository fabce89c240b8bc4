import { describe, expect, it } from 'vitest';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { readLake } from '../../support/lake-contents.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { ingestOneHour, PULLED_HOUR, signInAt, type TimedEntry } from '../../support/one-hour-ingest.ts';

// Review R-DRIFT H2: a re-pull after Domo changed its entries' shape in a way other than a
// field's spelling stored every event of the hour again, and counted them late.
const hour = PULLED_HOUR;
type Entry = TimedEntry;
const signIn = signInAt;
/** The hour pulled, its shape-change notes and metrics added to `notes` and `counted`. */
const ingestHour = async (
  store: MemoryObjectStore,
  entries: Entry[],
  notes: string[] = [],
  counted: Record<string, number> = {},
) => {
  const run = await ingestOneHour(store, entries);
  notes.push(...run.notes);
  for (const [name, value] of Object.entries(run.counted)) counted[name] = (counted[name] ?? 0) + value;
  return run.summary;
};
/** 20 sign-ins of five users, some of them on whole seconds, some twins. */
const served = (): Entry[] => [
  ...Array.from({ length: 18 }, (_, i) => signIn(i, String(10 + (i % 5)), i % 3 === 0 ? 0 : 137 * i)),
  signIn(30, '12', 250),
  signIn(30, '12', 250),
];

const reshapes: [string, (e: Entry) => Entry][] = [
  ['userId renamed to actorId', ({ userId, ...e }) => ({ ...e, actorId: userId })],
  ['actionType renamed to action', ({ actionType, ...e }) => ({ ...e, action: actionType })],
  ['userId nulled', (e) => ({ ...e, userId: null })],
  [
    'the object nested',
    ({ objectId, objectType, ...e }) => ({ ...e, object: { id: objectId, type: objectType } }),
  ],
  ['the action renamed', (e) => ({ ...e, actionType: 'SSO_LOGIN', eventText: 'Signed in with SSO' })],
];

describe('a re-pull after Domo changed its entry shape (review R-DRIFT H2)', () => {
  it.each(reshapes)('%s: stores nothing again, counts nothing late, and says so', async (_, reshape) => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    const notes: string[] = [];
    const again = await ingestHour(store, served().map(reshape), notes);
    expect(again).toMatchObject({ eventsWritten: 0, lateEvents: 0, failures: [] });
    expect(again.reshaped).toMatchObject({ events: 20, hours: 1 });
    expect(await readCoverage(store, 'acme', hour)).toMatchObject({
      event_count: 20,
      reshaped: 20,
      late_events: 0,
    });
    expect(notes.join('\n')).toMatch(
      /^20 entries of 2026-10-01 10:00 UTC were not stored again: Domo now serves them in another shape/m,
    );
  });

  it('still stores the late events served with the reshaped ones, and counts them late', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    const rename = reshapes[0]?.[1] as (e: Entry) => Entry;
    // Late: another user at a time of its own; a sign-in of a stored user at a stored event's
    // second but its own millisecond; a third twin of the two stored.
    const late = [signIn(45, '99', 5), signIn(3, '13', 999), signIn(30, '12', 250)];
    const again = await ingestHour(store, [...served(), ...late].map(rename));
    expect(again).toMatchObject({ eventsWritten: 3, lateEvents: 3, failures: [] });
    expect(again.reshaped).toMatchObject({ events: 20 });
  });

  it('stores a late event that shares as much with a stored one as its reshaped copy does', async () => {
    // Review R2-DRIFT: paired in time order alone, a late event served before a stored event's
    // reshaped copy (at its millisecond, or on the whole second before it) took the stored event:
    // the hour was reshaped, the late event left out and never stored, the copy stored again.
    const rename = reshapes[0]?.[1] as (e: Entry) => Entry;
    const lateOnes: [string, Entry][] = [
      [
        'another object at its millisecond',
        { ...signIn(1, '11', 137), objectId: '99', ipAddress: '81.2.69.99' },
      ],
      ['the same sign-in on the whole second before', signIn(1, '11')],
    ];
    for (const [, late] of lateOnes) {
      const store = new MemoryObjectStore();
      await ingestHour(store, served());
      const again = await ingestHour(store, [late, ...served()].map(rename));
      expect(again).toMatchObject({ eventsWritten: 1, lateEvents: 1 });
      const events = (await readLake(store, 'acme')).events;
      // Stored: the 20 events in their old shape, and the late one in the new.
      expect(events.filter((e) => e.user_id !== null)).toHaveLength(20);
      const added = events.filter((e) => e.user_id === null);
      expect(added.map((e) => [e.event_time_ms, e.object_id])).toEqual([[late.time, late.objectId]]);
    }
  });

  it('is no reshape when fewer than ten stored events came back so: stored again, as before', async () => {
    const store = new MemoryObjectStore();
    const few = served().slice(0, 9);
    await ingestHour(store, few);
    const again = await ingestHour(
      store,
      few.map((e) => ({ ...e, userId: null })),
    );
    expect(again).toMatchObject({ eventsWritten: 9 });
    expect(again.reshaped).toBeUndefined();
  });

  it('counts the events of a reshape too few to be one as changed, not late', async () => {
    // Review R2-DRIFT: a field renamed in an hour of 9 stored all 9 again as late events, so
    // LateEvents (and the alarm on late events near the lookback) said the lookback was short.
    const store = new MemoryObjectStore();
    const few = served().slice(0, 9);
    await ingestHour(store, few);
    const counted: Record<string, number> = {};
    const again = await ingestHour(
      store,
      few.map(({ userId, ...e }) => ({ ...e, actorId: userId })),
      [],
      counted,
    );
    expect(again).toMatchObject({ eventsWritten: 9, lateEvents: 0 });
    expect(counted).toMatchObject({ [INGEST_METRICS.changedInValue]: 9 });
  });

  it('is no reshape when most stored events left did not come back at their times', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    // Domo no longer serves 20 stored events, and serves 20 others (another user) at their times.
    const others = served().map((e) => ({
      ...e,
      userId: '77',
      userName: 'User 77',
      objectId: '77',
      ipAddress: '10.0.0.1',
    }));
    const again = await ingestHour(store, others);
    expect(again).toMatchObject({ eventsWritten: 20, lateEvents: 20 });
  });
});

describe('the drift signals as metrics of the ingest (review R-DRIFT M1)', () => {
  it('counts the entries left out as reshaped and the hours whose entries lack a watched field', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    const counted: Record<string, number> = {};
    await ingestHour(
      store,
      served().map(({ userId, ...e }) => ({ ...e, actorId: userId })),
      [],
      counted,
    );
    expect(counted).toMatchObject({
      [INGEST_METRICS.reshaped]: 20,
      [INGEST_METRICS.shapeChangedHours]: 1,
      [INGEST_METRICS.changedInValue]: 0,
      [INGEST_METRICS.lateEvents]: 0,
    });
  });

  it('counts the events stored again as a value changed', async () => {
    const store = new MemoryObjectStore();
    const few = served().slice(0, 4);
    await ingestHour(store, few);
    const counted: Record<string, number> = {};
    await ingestHour(
      store,
      few.map((e) => ({ ...e, userName: 'Renamed' })),
      [],
      counted,
    );
    expect(counted).toMatchObject({ [INGEST_METRICS.changedInValue]: 4, [INGEST_METRICS.reshaped]: 0 });
  });
});
