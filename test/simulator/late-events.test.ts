import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLateEvents,
  DEFAULT_LATE_DELAY,
  type LateEventOptions,
  lateEventsOf,
} from '../../functions/simulator/late-events.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { getToken, pageAll } from './sim-client.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const TO = Date.parse('2026-11-19T00:00:00Z');
const FROM = TO - 6 * HOUR;
const LATE: LateEventOptions = { fraction: 0.3, minDelayMs: 20 * MIN, maxDelayMs: 90 * MIN };

describe('late-arriving events (lateEvents option)', () => {
  let events: SimEvent[];
  let sim: Simulator | undefined;
  let now = TO;
  beforeAll(() => {
    events = generateInstance({
      seed: 'late',
      fromMs: FROM,
      toMs: TO,
      users: 10,
      eventsPerUserDay: 120,
    }).events;
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    now = TO;
  });
  const start = async (options: SimulatorOptions = {}): Promise<Simulator> => {
    sim = await startSimulator({ clock: () => now, events, seed: 4, lateEvents: LATE, ...options });
    return sim;
  };
  const lateOf = (s: Simulator, atMs: number) =>
    s.groundTruth(atMs).filter((g) => g.visibleFromMs !== undefined);

  it('delays a seeded fraction of the events by minDelayMs..maxDelayMs after their own time', async () => {
    const s = await start();
    const everything = s.groundTruth(TO + 2 * HOUR);
    expect(everything).toHaveLength(events.length);
    const late = lateOf(s, TO + 2 * HOUR);
    expect(late.length / events.length).toBeGreaterThan(0.2);
    expect(late.length / events.length).toBeLessThan(0.4);
    for (const g of late) {
      const delay = (g.visibleFromMs as number) - g.timeMs;
      expect(delay).toBeGreaterThanOrEqual(LATE.minDelayMs);
      expect(delay).toBeLessThanOrEqual(LATE.maxDelayMs);
    }
    // Delays spread over the whole interval rather than sitting on one value.
    const delays = late.map((g) => (g.visibleFromMs as number) - g.timeMs);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(30 * MIN);
  });

  it('serves and counts in the ground truth only what is visible at the clock, with the old time', async () => {
    const s = await start();
    for (const at of [TO, TO + 30 * MIN, TO + 2 * HOUR]) {
      now = at;
      const truth = s.groundTruth();
      const served = await pageAll(s.url, await getToken(s.url), FROM, TO, 1000);
      expect(truth.map((g) => g.served)).toEqual(served);
      for (const g of truth) expect(g.visibleFromMs === undefined || g.visibleFromMs <= at).toBe(true);
    }
    // Before the last delay has passed, some events of the last hours are missing; afterwards none is.
    const atClose = s.groundTruth(TO);
    expect(atClose.length).toBeLessThan(events.length);
    const missing = events.length - atClose.length;
    expect(missing).toBeGreaterThan(0);
    expect(s.groundTruth(TO + LATE.maxDelayMs)).toHaveLength(events.length);
    // What was missing at TO is exactly the late events that become visible after TO.
    expect(lateOf(s, TO + 2 * HOUR).filter((g) => (g.visibleFromMs as number) > TO)).toHaveLength(missing);
  });

  it('repeats the same late events for the same seed and picks others for another seed', async () => {
    const visibility = async (seed: number): Promise<string[]> => {
      const s = await startSimulator({ clock: () => TO + 2 * HOUR, events, seed, lateEvents: LATE });
      const out = lateOf(s, TO + 2 * HOUR).map((g) => `${g.timeMs}:${g.visibleFromMs}`);
      await s.close();
      return out;
    };
    const first = await visibility(4);
    expect(first.length).toBeGreaterThan(0);
    expect(await visibility(4)).toEqual(first);
    expect(await visibility(5)).not.toEqual(first);
  });

  it('applies to events added later, unless addEvents is given their visibility', async () => {
    const s = await start({
      events: [],
      lateEvents: { fraction: 1, minDelayMs: 10 * MIN, maxDelayMs: 10 * MIN },
    });
    const one = events[0] as SimEvent;
    s.addEvents([one]);
    s.addEvents([{ ...one, entry: { ...one.entry, objectName: 'explicit' } }], one.timeMs + MIN);
    const truth = s.groundTruth(TO + HOUR);
    expect(truth.map((g) => g.visibleFromMs).sort()).toEqual([one.timeMs + MIN, one.timeMs + 10 * MIN]);
  });

  it('makes both copies of a twin arrive together', async () => {
    const s = await start({
      lateEvents: { fraction: 1, ...DEFAULT_LATE_DELAY },
      entryVariation: { twins: 0.2 },
    });
    const truth = s.groundTruth(TO + 2 * HOUR);
    const twins = truth.filter((g) => g.twinOf !== undefined);
    expect(twins.length).toBeGreaterThan(0);
    for (const twin of twins) {
      const first = truth[twin.twinOf as number];
      // Twins from the variation share their time; distinct events that render alike may not.
      if (first?.timeMs === twin.timeMs) expect(twin.visibleFromMs).toBe(first.visibleFromMs);
    }
  });

  it('leaves every event on time with fraction 0 or without the option', async () => {
    for (const options of [{ lateEvents: { ...LATE, fraction: 0 } }, { lateEvents: undefined }]) {
      const s = await start(options);
      expect(lateOf(s, TO + 2 * HOUR)).toEqual([]);
      expect(s.groundTruth(TO)).toHaveLength(events.length);
      await s.close();
      sim = undefined;
    }
  });

  it('offers the command line default of 20 to 90 minutes', () => {
    expect(lateEventsOf(0.05)).toEqual({ fraction: 0.05, minDelayMs: 20 * MIN, maxDelayMs: 90 * MIN });
    expect(() => lateEventsOf(2)).toThrow(/lateEvents.fraction/);
  });

  it('rejects options that cannot be a fraction and a delay range', async () => {
    expect(() => checkLateEvents({ ...LATE, fraction: -0.1 })).toThrow(/lateEvents.fraction/);
    expect(() => checkLateEvents({ ...LATE, minDelayMs: 1.5 })).toThrow(/lateEvents.minDelayMs/);
    expect(() => checkLateEvents({ ...LATE, maxDelayMs: -1 })).toThrow(/lateEvents.maxDelayMs/);
    expect(() => checkLateEvents({ ...LATE, minDelayMs: 2 * HOUR })).toThrow(/must not be below/);
    await expect(startSimulator({ lateEvents: { ...LATE, fraction: Number.NaN } })).rejects.toThrow(
      /lateEvents.fraction/,
    );
  });
});
