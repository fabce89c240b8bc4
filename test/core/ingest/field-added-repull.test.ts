import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review R-DRIFT H3: a re-pull after Domo added a field a column reads stored every event of the
// hour again.
const hour = Date.parse('2026-10-01T10:00:00Z');
type Entry = Record<string, unknown> & { time: number };
const signIn = (minute: number, user = '11', ms = 0): Entry => ({
  actionType: 'LOGIN',
  eventText: 'Logged in',
  userId: user,
  userName: `User ${user}`,
  objectType: 'USER',
  objectId: user,
  actorId: 0,
  ipAddress: `81.2.69.${user}`,
  time: hour + minute * 60_000 + ms,
});
const ingestHour = (store: MemoryObjectStore, entries: Entry[]) =>
  runIngest(
    quietIngestDeps(
      new MemoryAuditSource(entries.map((entry) => ({ timeMs: entry.time, entry }))),
      store,
      hour + 30 * HOUR_MS,
    ),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + HOUR_MS } },
  );
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
