import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { generateInstance, Prng, type SimEvent, startSimulator } from '../../../functions/simulator/index.ts';
import { clockFrom } from '../../support/clock-from.ts';
import { compareWithGroundTruth, readLake } from '../../support/lake-contents.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { ingestFromSimulator } from '../../support/simulator-client.ts';

// Four busy hours of 300 users, 10 % of whose actions are bulk actions: two to eight
// entries of one millisecond. The simulator serves the entries of one time in a new order on each
// request (as an SQL engine may), so bulk actions cut by a page edge come back reordered.
const fromMs = Date.parse('2026-10-05T08:00:00Z');
const toMs = fromMs + 4 * HOUR_MS;

function withBulkActions(events: readonly SimEvent[], seed: number): SimEvent[] {
  const rng = new Prng(seed).fork('bulk');
  const out: SimEvent[] = [];
  for (const event of events) {
    out.push(event);
    if (!rng.chance(0.1)) continue;
    const more = rng.int(1, 7);
    for (let i = 0; i < more; i++) {
      out.push({
        ...event,
        entry: { ...event.entry, objectName: `${String(event.entry.objectName)} #${i}` },
      });
    }
  }
  return out;
}

describe('an ingest over a simulator that serves ties in any order', () => {
  it('stores every entry once: bulk actions at page edges and identical twins included', async () => {
    const instance = generateInstance({ seed: 11, fromMs, toMs, users: 300, eventsPerUserDay: 300 });
    const events = withBulkActions(instance.events, 11);
    const clock = clockFrom(toMs + 24 * HOUR_MS);
    const sim = await startSimulator({
      events,
      shuffleTies: true,
      seed: 5,
      entryVariation: { twins: 0.03 },
      clock: clock.now,
    });
    try {
      const store = new MemoryObjectStore();
      const summary = await ingestFromSimulator(
        sim,
        store,
        { fromMs, toMs },
        { clock, config: { concurrency: 2 } },
      );
      expect(summary).toMatchObject({ failures: [], windowsDone: 4 });
      const lake = compareWithGroundTruth(await readLake(store, 'default'), sim.groundTruth(), fromMs, toMs);
      expect(lake).toMatchObject({ lost: 0, duplicated: 0, duplicateIds: 0 });
      expect(lake.storedEvents).toBe(lake.expectedEvents);
      // Busy enough that pages end inside bulk actions: hours of several pages each.
      expect(lake.expectedEvents).toBeGreaterThan(4 * 2_000);
    } finally {
      await sim.close();
    }
  });
});
