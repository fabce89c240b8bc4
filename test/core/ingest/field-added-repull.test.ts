import { describe, expect, it } from 'vitest';
import { readLake } from '../../support/lake-contents.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { ingestOneHour, PULLED_HOUR, signInAt, type TimedEntry } from '../../support/one-hour-ingest.ts';

// Review R-DRIFT H3 and H5: a re-pull after Domo added a field a column reads, or cut its epoch ms
// to whole seconds, stored every event of the hour again, counted late.
const _hour = PULLED_HOUR;
type Entry = TimedEntry;
const signIn = signInAt;
const ingestHour = async (store: MemoryObjectStore, entries: Entry[]) =>
  (await ingestOneHour(store, entries)).summary;
/** 20 sign-ins of five users, some of them on whole seconds, two of them twins. */
const served = (): Entry[] => [
  ...Array.from({ length: 18 }, (_, i) => signIn(i, String(10 + (i % 5)), i % 3 === 0 ? 0 : 137 * i)),
  signIn(30, '12', 250),
  signIn(30, '12', 250),
];

describe('a re-pull after Domo added a field the lake reads (review R-DRIFT H3)', () => {
  it('matches each event stored without it: a null column matches the value now sent', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    const again = await ingestHour(
      store,
      served().map((e) => ({ ...e, actorType: 'USER' })),
    );
    expect(again).toMatchObject({ eventsWritten: 0, lateEvents: 0, failures: [] });
  });

  it('matches a field added beside another renamed in its spelling (stored ⊆ incoming)', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served().slice(0, 5));
    const again = await ingestHour(
      store,
      served()
        .slice(0, 5)
        .map(({ userName, ...e }) => ({
          ...e,
          user_name: userName,
          authenticationMethod: 'SSO',
          actorType: 'USER',
        })),
    );
    expect(again).toMatchObject({ eventsWritten: 0, lateEvents: 0 });
  });

  it('still stores a late event that says less than a stored one at its time', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    // Every stored event now with actorType; one more sign-in of 11 at a stored time, without an address.
    const { ipAddress, ...less } = signIn(0, '10');
    const again = await ingestHour(
      store,
      [...served(), less].map((e) => ({ ...e, actorType: 'USER' })),
    );
    expect(again).toMatchObject({ eventsWritten: 1, lateEvents: 1 });
  });
});

describe('a re-pull after Domo cut its epoch ms to whole seconds (review R-DRIFT H5)', () => {
  it('matches each whole-second number to the stored time within that second, one for one', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, served());
    const floored = served().map((e) => ({ ...e, time: Math.floor(e.time / 1000) * 1000 }));
    const again = await ingestHour(store, floored);
    expect(again).toMatchObject({ eventsWritten: 0, lateEvents: 0, failures: [] });
  });

  it('keeps a whole-second event served beside its floored twin apart from it', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, [signIn(5, '11', 400), signIn(6, '12')]);
    // The first now floored; a new sign-in of 11 on that whole second: only one is stored.
    const again = await ingestHour(store, [signIn(5, '11'), signIn(5, '11'), signIn(6, '12')]);
    expect(again).toMatchObject({ eventsWritten: 1, lateEvents: 1 });
  });

  it('stores a late whole-second event served just before a stored one, not that one again', async () => {
    // Review R2-DRIFT: Domo adds a field (every stored id gone) and serves a late sign-in of 11 on
    // the whole second before the stored one's 300 ms. Matched in time order alone, the late one
    // took the stored record: it was never stored, and the stored sign-in was stored twice.
    const store = new MemoryObjectStore();
    const { ipAddress, ...noAddress } = signIn(5, '11', 300);
    await ingestHour(store, [noAddress]);
    const again = await ingestHour(
      store,
      [noAddress, signIn(5, '11')].map((e) => ({ ...e, actorType: 'USER' })),
    );
    expect(again).toMatchObject({ eventsWritten: 1, lateEvents: 1 });
    const stored = (await readLake(store, 'acme')).events.map((e) => e.event_time_ms - _hour).sort();
    expect(stored).toEqual([5 * 60_000, 5 * 60_000 + 300]);
  });
});
