import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const view = (minute: number, objectName: string, user = '11') => ({
  actionType: 'VIEWED',
  eventText: 'Viewed card',
  userId: user,
  userName: `User ${user}`,
  objectType: 'CARD',
  objectId: '42',
  objectName,
  time: hour + minute * 60_000,
});
const ingestHour = (store: MemoryObjectStore, entries: { time: number }[], notes: string[] = [], hours = 1) =>
  runIngest(
    {
      ...quietIngestDeps(
        new MemoryAuditSource(entries.map((entry) => ({ timeMs: entry.time, entry }))),
        store,
        hour + 30 * HOUR_MS,
      ),
      onShapeChange: (note) => notes.push(note),
    },
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: hour, toMs: hour + hours * HOUR_MS } },
  );

describe('a re-pull after Domo changed a value of stored entries (review R-DRIFT H2)', () => {
  it('stores them again, not as late events: counted, told and flagged by verify', async () => {
    const store = new MemoryObjectStore();
    await ingestHour(store, [view(5, 'Revenue'), view(5, 'Revenue'), view(6, 'Revenue')]);
    const notes: string[] = [];
    // The card was renamed: Domo serves every entry with its new name. One late view beside them.
    const again = await ingestHour(
      store,
      [view(5, 'Sales'), view(5, 'Sales'), view(6, 'Sales'), view(7, 'Sales', '12')],
      notes,
    );
    expect(again).toMatchObject({ eventsWritten: 4, lateEvents: 1, failures: [] });
    expect(await readCoverage(store, 'acme', hour)).toMatchObject({ changed_in_value: 3, late_events: 1 });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^3 events of 2026-10-01 10:00 UTC were stored again: Domo now serves them with another value/,
    );
    const report = await verifyLake(store, 'acme', { fromMs: hour, toMs: hour + HOUR_MS });
    expect(report).toMatchObject({ events: 7, copiesInAnotherShape: 3, ok: true });
  });

  it("tells the run's total and its hours, once, not the first hour's count (review R-DRIFT L2)", async () => {
    const store = new MemoryObjectStore();
    const later = (minute: number, name: string) => ({
      ...view(minute, name),
      time: hour + HOUR_MS + minute * 60_000,
    });
    await ingestHour(store, [view(5, 'Revenue'), view(6, 'Revenue'), later(5, 'Revenue')], [], 2);
    const notes: string[] = [];
    const again = await ingestHour(store, [view(5, 'Sales'), view(6, 'Sales'), later(5, 'Sales')], notes, 2);
    expect(again).toMatchObject({ eventsWritten: 3, lateEvents: 0, storedAgain: { events: 3, hours: 2 } });
    expect(notes).toEqual([
      expect.stringMatching(/^3 events of 2 hours, 2026-10-01 10:00 to 11:00 UTC, were stored again: /),
    ]);
  });
});
