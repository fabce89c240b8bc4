import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { quarantineKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

/** An entry Domo filed at `timeMs` whose time cannot be read. */
const unreadable = (timeMs: number): MemoryEntry => ({
  timeMs,
  entry: { ...(viewEntry(timeMs, 5).entry as object), time: 'the 1st, after lunch' },
});

const quarantinedIn = (store: MemoryObjectStore, hourMs: number): unknown[] => {
  const object = store.objects.get(quarantineKey('acme', hourMs));
  if (!object) return [];
  return gunzipSync(object.body as Uint8Array)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
};

async function ingest(served: MemoryEntry[]) {
  const store = new MemoryObjectStore();
  // Domo's bounds inclusive at both ends (the memory source's): the instant between two hours
  // comes back from both hours' requests.
  const summary = await runIngest(quietIngestDeps(new MemoryAuditSource(served), store, day0 + 5 * HOUR_MS), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
    concurrency: 1,
  });
  expect(summary.failures).toEqual([]);
  return { store, summary };
}

describe('an entry without a time at the instant between two hours (review stop 90)', () => {
  const served = [
    viewEntry(day0 + 10, 1),
    unreadable(day0 + HOUR_MS),
    viewEntry(day0 + HOUR_MS + 10, 2),
    viewEntry(day0 + 2 * HOUR_MS + 10, 3),
  ];

  it('is quarantined once, in the later hour', async () => {
    const { store, summary } = await ingest(served);
    expect(quarantinedIn(store, day0)).toEqual([]);
    expect(quarantinedIn(store, day0 + HOUR_MS)).toHaveLength(1);
    expect(summary.quarantined).toBe(1);
    // Served = lake + quarantine.
    expect(summary.eventsWritten + summary.quarantined).toBe(served.length);
  });

  it('leaves a twin of it inside the earlier hour quarantined there', async () => {
    const { store, summary } = await ingest([...served, unreadable(day0 + 30 * 60_000)]);
    expect(quarantinedIn(store, day0)).toHaveLength(1);
    expect(quarantinedIn(store, day0 + HOUR_MS)).toHaveLength(1);
    expect(summary.quarantined).toBe(2);
  });
});
