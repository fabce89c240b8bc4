import { describe, expect, it } from 'vitest';
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
const signIn = (minute: number, extra: Record<string, unknown> = {}) => ({
  actionType: 'LOGIN',
  userId: '11',
  objectType: 'USER',
  time: hour + minute * 60_000,
  ...extra,
});
const ingestHour = (store: MemoryObjectStore, entries: { time: number }[]) =>
  runIngest(
    quietIngestDeps(
      new MemoryAuditSource(entries.map((entry) => ({ timeMs: entry.time, entry }))),
      store,
      hour + 3 * HOUR_MS,
    ),
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + HOUR_MS } },
  );
const recordsOf = (...entries: object[]): EventRecord[] => eventRecordsOf(window, entries);

describe('verify of an hour holding an event in two shapes', () => {
  it('counts the further copy, apart from twins, and does not fail', async () => {
    const store = new MemoryObjectStore();
    // Two sign-ins that are twins, and one more: as the ingest stores them.
    const served = [signIn(5), signIn(5), signIn(6)];
    await ingestHour(store, served);
    // What code before the match stored when Domo added a field: every event again, under new ids.
    const older = { idOf: (record: EventRecord) => record.event_id, compare: () => 0 };
    const again = recordsOf(...served.map((entry) => ({ ...entry, sessionId: 'abc' })));
    await mergeIntoObject(store, activityKey('acme', hour), again, older);
    await ingestHour(store, served);

    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });

    expect(report).toMatchObject({ events: 6, duplicateIds: 0, copiesInAnotherShape: 3, ok: true });
  });

  it('counts nothing in an hour of twins and distinct events', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, [signIn(5), signIn(5), signIn(5, { userId: '12' }), signIn(6)]);
    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });
    expect(report).toMatchObject({ events: 4, copiesInAnotherShape: 0, ok: true });
  });
});
