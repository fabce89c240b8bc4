import { describe, expect, it } from 'vitest';
import { eventsStoredElsewhere } from '../../../functions/core/ingest/events-stored-elsewhere.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { mergeIntoObject } from '../../../functions/core/lake/merge-write.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { eventRecordsOf } from '../../support/event-records-of.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: hour, endMs: hour + HOUR_MS };
const signIn = (minute: number, user = '11') => ({
  actionType: 'LOGIN',
  userId: user,
  userName: `User ${user}`,
  objectType: 'USER',
  time: hour + minute * 60_000,
});
/** The entry as Domo serves it once it renamed `userName` to `user_name`. */
const renamed = ({ userName, ...entry }: ReturnType<typeof signIn>) => ({ ...entry, user_name: userName });
const recordsOf = (...entries: object[]): EventRecord[] => eventRecordsOf(window, entries);
const ingestHour = (store: MemoryObjectStore, entries: { time: number }[]) =>
  runIngest(
    quietIngestDeps(
      new MemoryAuditSource(entries.map((entry) => ({ timeMs: entry.time, entry }))),
      store,
      hour + 30 * HOUR_MS,
    ),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + HOUR_MS } },
  );

describe('a re-pull after Domo renamed a field (review R-DRIFT H2)', () => {
  it('matches each renamed entry to the stored event, twins one for one', () => {
    const served = [signIn(5), signIn(5), signIn(6), signIn(7, '12')];
    const stored = recordsOf(...served);
    // Three twins now, where two were stored: the third is a new event, not a copy.
    const again = recordsOf(...[...served, signIn(5)].map(renamed));
    const found = eventsStoredElsewhere(stored, again);
    expect(found.size).toBe(4);
    expect(again.filter((record) => !found.has(record))).toHaveLength(1);
  });

  it('does not match an entry that says something else under the new name', () => {
    const stored = recordsOf(signIn(5));
    const other = { ...renamed(signIn(5)), user_name: 'Someone else' };
    expect(eventsStoredElsewhere(stored, recordsOf(other)).size).toBe(0);
  });

  it('stores nothing again, counts nothing late, and verify stays clean', async () => {
    const store = new MemoryObjectStore();
    const served = [signIn(5), signIn(5), signIn(6), signIn(7, '12')];
    await ingestHour(store, served);
    const again = await ingestHour(store, served.map(renamed));
    expect(again).toMatchObject({ eventsWritten: 0, lateEvents: 0, failures: [] });
    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });
    expect(report).toMatchObject({ events: 4, copiesInAnotherShape: 0, ok: true });
  });

  it('verify counts the copies older code stored under the new ids', async () => {
    const store = new MemoryObjectStore();
    const served = [signIn(5), signIn(5), signIn(6)];
    await ingestHour(store, served);
    const older = { idOf: (record: EventRecord) => record.event_id, compare: () => 0 };
    await mergeIntoObject(store, activityKey('acme', hour), recordsOf(...served.map(renamed)), older);
    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });
    expect(report).toMatchObject({ events: 6, copiesInAnotherShape: 3, ok: true });
  });
});
