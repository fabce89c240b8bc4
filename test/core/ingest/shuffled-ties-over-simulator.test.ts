import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { generateInstance, Prng, type SimEvent } from '../../../functions/simulator/index.ts';
import { clockFrom } from '../../support/clock-from.ts';
import { ingestSimulated } from '../../support/simulated-ingest.ts';

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
    const { summary, lake } = await ingestSimulated(
      { events, shuffleTies: true, seed: 5, entryVariation: { twins: 0.03 } },
      { fromMs, toMs },
      { clock, config: { concurrency: 2 } },
    );
    expect(summary).toMatchObject({ failures: [], windowsDone: 4 });
    expect(lake).toMatchObject({ lost: 0, duplicated: 0, duplicateIds: 0 });
    expect(lake.storedEvents).toBe(lake.expectedEvents);
    // Busy enough that pages end inside bulk actions: hours of several pages each.
    expect(lake.expectedEvents).toBeGreaterThan(4 * 2_000);
  });
});

/**
 * `events`, with a bulk action of `size` entries of one millisecond added at each of `at` (epoch
 * ms): one user acting on `size` cards at once.
 */
function withLongBulkActions(events: readonly SimEvent[], at: readonly number[], size: number): SimEvent[] {
  const out = [...events];
  for (const timeMs of at) {
    for (let i = 0; i < size; i++) {
      out.push({
        timeMs,
        entry: { userId: '7', userName: 'User 7', actionType: 'VIEWED', objectName: `bulk card ${i}` },
      });
    }
  }
  return out;
}

describe('bulk actions of most of a page over a simulator that serves ties in any order', () => {
  // Review R-TO: a run of one time of half a page or more at a page edge was matched in order, its
  // last half page, and a row swapped past the edge could go unseen. Re-read whole up to a page,
  // every entry is stored once; a run longer than a page fails its hour alone, saying why.
  // One seed each end to end (the ingest, the client and the simulator at Domo's page of 1,000):
  // the matching itself is proven over 1,000 and 200 shuffles in pages of 10 on the memory source
  // (ties-served-in-any-order.test.ts: 'reads a tie of most of a page at a page edge whole', 'fails
  // a tie longer than a page served in a changing order'), which fail with the review's bug put
  // back as these did. Two more seeds of each cost ~4 CPU-s under coverage and proved no more, as
  // did a run of 1,500 served in one order and stored whole ('reads a tie longer than a page served
  // in one order' there).
  it('stores every entry once', async () => {
    const seed = 1;
    const from = Date.parse('2026-10-05T09:00:00Z');
    const to = from + 2 * HOUR_MS;
    const instance = generateInstance({ seed, fromMs: from, toMs: to, users: 300, eventsPerUserDay: 300 });
    const rng = new Prng(seed).fork('long-bulk');
    // Three bulk actions an hour of 600 to 990 entries: most of them cross a page edge.
    const at = Array.from({ length: 6 }, (_, i) => from + Math.floor(((i + rng.next()) * 2 * HOUR_MS) / 6));
    const events = withLongBulkActions(instance.events, at, 600 + rng.int(0, 390));
    const clock = clockFrom(to + 24 * HOUR_MS);
    const { summary, lake } = await ingestSimulated(
      { events, shuffleTies: true, seed },
      { fromMs: from, toMs: to },
      { clock },
    );
    expect(summary).toMatchObject({ failures: [], windowsDone: 2 });
    expect(lake).toMatchObject({ lost: 0, duplicated: 0, duplicateIds: 0 });
    expect(lake.storedEvents).toBe(lake.expectedEvents);
  });

  it('fails the hour of a bulk action longer than a page with the reason', async () => {
    const seed = 4;
    // Its last half page is matched in order, which a changing order fails (but for a rare chance).
    const from = Date.parse('2026-10-05T09:00:00Z');
    const to = from + 2 * HOUR_MS;
    const instance = generateInstance({ seed, fromMs: from, toMs: to, users: 300, eventsPerUserDay: 300 });
    const events = withLongBulkActions(instance.events, [from + HOUR_MS + 1_800_000], 1_200);
    const clock = clockFrom(to + 24 * HOUR_MS);
    const { summary, lake } = await ingestSimulated(
      { events, shuffleTies: true, seed },
      { fromMs: from, toMs: to },
      { clock, compared: { fromMs: from, toMs: from + HOUR_MS } },
    );
    expect(summary.failures).toEqual([
      {
        windowStartMs: from + HOUR_MS,
        message: expect.stringMatching(
          /^\d+ or more entries of .* share one time, 2026-10-05T10:30:00\.000Z, .* served them in a changing order/,
        ),
      },
    ]);
    expect(lake).toMatchObject({ lost: 0, duplicated: 0 });
    expect(lake.storedEvents).toBe(lake.expectedEvents);
  });
});
