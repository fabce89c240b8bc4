import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLEAN_ENTRIES,
  checkVariation,
  type EntryVariation,
  OPTIONAL_FIELDS,
  renderEntry,
} from '../../functions/simulator/entry-variation.ts';
import { Prng } from '../../functions/simulator/prng.ts';
import { type Simulator, startSimulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { audit, getToken, pageAll } from './sim-client.ts';

const DAY = 86_400_000;
const TO = Date.parse('2026-11-19T00:00:00Z');
const FROM = TO - 2 * DAY;
const NOW = TO + DAY;
const ROUGH: Partial<EntryVariation> = {
  omitOptional: 0.1,
  nullOptional: 0.1,
  extraFields: 0.1,
  twins: 0.05,
  malformed: 0.05,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasUsableTime = (v: unknown): boolean => isObject(v) && typeof v.time === 'number';

describe('entry variation', () => {
  let events: SimEvent[];
  let sim: Simulator | undefined;
  beforeAll(() => {
    events = generateInstance({ seed: 'variation', fromMs: FROM, toMs: TO, users: 10 }).events;
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('serves clean entries with every documented field by default', async () => {
    sim = await startSimulator({ clock: () => NOW, events });
    const truth = sim.groundTruth();
    expect(truth).toHaveLength(events.length);
    expect(truth.filter((g) => g.malformed || !hasUsableTime(g.served))).toEqual([]);
    const incomplete = truth.filter(
      (g) => !OPTIONAL_FIELDS.every((f) => isObject(g.served) && typeof g.served[f] === 'string'),
    );
    expect(incomplete).toEqual([]);
    expect(truth.filter((g) => isObject(g.served) && 'actorType' in g.served)).toEqual([]);
  });

  it('serves twins, malformed, missing, null and extra fields, as the ground truth says', async () => {
    sim = await startSimulator({ clock: () => NOW, events, seed: 3, entryVariation: ROUGH });
    const token = await getToken(sim.url);
    const served = await pageAll(sim.url, token, FROM, TO);
    const truth = sim.groundTruth();
    expect(truth.map((g) => g.served)).toEqual(served);
    expect(served.length).toBeGreaterThan(events.length);

    const objects = served.filter(isObject);
    expect(objects.some((e) => OPTIONAL_FIELDS.some((f) => !(f in e)))).toBe(true);
    expect(objects.some((e) => OPTIONAL_FIELDS.some((f) => e[f] === null))).toBe(true);
    for (const extra of ['actorType', 'clientId', 'authenticationMethod']) {
      expect(
        objects.some((e) => extra in e),
        extra,
      ).toBe(true);
    }

    // Malformed: exactly the entries a parser cannot use, and every kind shows up.
    expect(truth.filter((g) => g.malformed !== !hasUsableTime(g.served))).toEqual([]);
    const malformed = truth.filter((g) => g.malformed).map((g) => g.served);
    expect(malformed.some((v) => isObject(v) && !('time' in v))).toBe(true);
    expect(malformed.some((v) => isObject(v) && v.time === null)).toBe(true);
    expect(malformed.some((v) => isObject(v) && v.time === 'yesterday')).toBe(true);
    expect(malformed.some((v) => isObject(v) && typeof v.time === 'boolean')).toBe(true);
    expect(malformed.some((v) => typeof v === 'string')).toBe(true);
    expect(malformed.some((v) => typeof v === 'number')).toBe(true);

    // Twins: byte-identical, adjacent (same time, consecutive insertion), pointing at the first copy.
    const twins = truth.map((g, i) => ({ g, i })).filter(({ g }) => g.twinOf !== undefined);
    expect(twins.length).toBeGreaterThan(0);
    for (const { g, i } of twins) {
      expect(g.twinOf).toBe(i - 1);
      expect(truth[i - 1]?.served).toEqual(g.served);
      expect(truth[i - 1]?.timeMs).toBe(g.timeMs);
    }
  });

  it('decides variations once: every request serves the same bytes', async () => {
    sim = await startSimulator({ clock: () => NOW, events, seed: 3, entryVariation: ROUGH });
    const token = await getToken(sim.url);
    const range = { start: FROM, end: TO, limit: 1000, offset: 1000 };
    const a = await audit(sim.url, token, range);
    const b = await audit(sim.url, token, range);
    expect(a.status).toBe(200);
    expect(b.text).toBe(a.text);
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const truthFor = async (seed: number): Promise<string> => {
      const s = await startSimulator({ clock: () => NOW, events, seed, entryVariation: ROUGH });
      const truth = JSON.stringify(s.groundTruth());
      await s.close();
      return truth;
    };
    const first = await truthFor(9);
    expect(await truthFor(9)).toBe(first);
    expect(await truthFor(10)).not.toBe(first);
  });

  it('serves the evidence of planted patterns clean, however messy the rest is', async () => {
    const planted = events.filter((e) => e.planted);
    expect(planted.length).toBeGreaterThan(0);
    const everything = { omitOptional: 1, nullOptional: 1, extraFields: 1, twins: 1, malformed: 1 };
    sim = await startSimulator({ clock: () => NOW, events: planted, seed: 3, entryVariation: everything });
    const truth = sim.groundTruth();
    expect(truth).toHaveLength(planted.length);
    expect(
      truth.every((g) => !g.malformed && isObject(g.served) && typeof g.served.ipAddress === 'string'),
    ).toBe(true);
  });

  it('varies late events too, and keeps them out of ground truth until visible', async () => {
    sim = await startSimulator({ clock: () => NOW, seed: 1, entryVariation: { twins: 1 } });
    sim.addEvents(events.slice(0, 5), NOW + 1);
    expect(sim.groundTruth()).toEqual([]);
    const later = sim.groundTruth(NOW + 1);
    expect(later).toHaveLength(10);
    expect(later.filter((g) => g.twinOf !== undefined)).toHaveLength(5);
  });

  it('uses only the requested malformed kinds', () => {
    const rng = new Prng('kinds');
    const variation = { ...CLEAN_ENTRIES, malformed: 1, malformedKinds: ['time-text' as const] };
    // Planted entries are always served clean; the others all get the one kind asked for.
    for (const event of events.filter((e) => !e.planted).slice(0, 20)) {
      const r = renderEntry(event, event.timeMs, variation, rng.fork(event.timeMs));
      expect(r.malformed).toBe(true);
      expect((JSON.parse(r.json) as { time: unknown }).time).toBe('yesterday');
    }
  });

  it('serves some addresses as forwarded-for lists around the address the event was made with', () => {
    const ordinary = events.filter((e) => !e.planted && typeof e.entry.ipAddress === 'string');
    const addressOf = (variation: EntryVariation, event: SimEvent, i: number): unknown =>
      (
        JSON.parse(renderEntry(event, event.timeMs, variation, new Prng('fwd').fork(i)).json) as Record<
          string,
          unknown
        >
      ).ipAddress;
    const lists: string[] = [];
    ordinary.forEach((event, i) => {
      const served = addressOf({ ...CLEAN_ENTRIES, forwardedFor: 0.5 }, event, i);
      if (served === event.entry.ipAddress) return;
      lists.push(String(served));
      const parts = String(served)
        .split(',')
        .map((part) => part.trim());
      expect(parts, String(served)).toHaveLength(2);
      expect(
        parts.filter((part) => part === event.entry.ipAddress),
        String(served),
      ).toHaveLength(1);
      expect(parts.find((part) => part !== event.entry.ipAddress)).toMatch(
        /^(10|172\.(1[6-9]|2\d|3[01])|192\.168)\./,
      );
    });
    expect(lists.length).toBeGreaterThan(ordinary.length / 4);
    expect(lists.some((l) => l.startsWith('192.168.'))).toBe(true);
    expect(lists.some((l) => /\d,172\./.test(l))).toBe(true);
    expect(lists.some((l) => /, 10\./.test(l))).toBe(true);
  });

  it('adds forwarded-for lists without changing any other variation drawn', () => {
    const rough = { ...CLEAN_ENTRIES, ...ROUGH };
    const withoutAddress = (json: string): unknown => {
      const value: unknown = JSON.parse(json);
      if (isObject(value)) delete value.ipAddress;
      return value;
    };
    events.slice(0, 200).forEach((event, i) => {
      const before = renderEntry(event, event.timeMs, rough, new Prng('same').fork(i));
      const after = renderEntry(event, event.timeMs, { ...rough, forwardedFor: 1 }, new Prng('same').fork(i));
      expect(after.copies).toBe(before.copies);
      expect(withoutAddress(after.json)).toEqual(withoutAddress(before.json));
    });
  });

  it('rejects probabilities outside [0, 1] naming the option', () => {
    expect(() => checkVariation({ ...CLEAN_ENTRIES, twins: 1.5 })).toThrow(/entryVariation.twins/);
    expect(() => checkVariation({ ...CLEAN_ENTRIES, forwardedFor: -1 })).toThrow(
      /entryVariation.forwardedFor/,
    );
    expect(() => checkVariation({ ...CLEAN_ENTRIES, malformed: 0.1, malformedKinds: [] })).toThrow(
      /malformedKinds/,
    );
  });
});
