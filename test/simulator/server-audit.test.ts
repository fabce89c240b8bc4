import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../functions/simulator/server.ts';
import type { SimEvent } from '../../functions/simulator/sim-event.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { audit, getToken, pageAll } from './sim-client.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const T0 = NOW - DAY;

function ev(timeMs: number, userId = 'u1', objectName = `o${timeMs}`): SimEvent {
  return {
    timeMs,
    entry: {
      userName: `User ${userId}`,
      userId,
      userType: 'USER',
      actorId: 0,
      actorName: '',
      objectName,
      objectId: '663909457',
      objectType: 'PAGE',
      additionalComment: `User ${userId} viewed page ${objectName}.`,
      eventText: 'Viewed page',
      device: 'desktop',
      browserDetails: 'Mozilla/5.0',
      ipAddress: '50.207.241.61',
      actionType: 'VIEWED',
    },
  };
}

/** Ten events a second apart from T0, user u1 on even seconds and u2 on odd ones. */
const TEN = Array.from({ length: 10 }, (_, i) => ev(T0 + i * 1000, i % 2 === 0 ? 'u1' : 'u2'));
const times = (page: unknown): number[] => (page as { time: number }[]).map((e) => e.time);

describe('simulator GET /v1/audit', () => {
  let sim: Simulator | undefined;
  let now = NOW;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    now = NOW;
  });
  const start = async (options: SimulatorOptions = {}): Promise<{ s: Simulator; token: string }> => {
    sim = await startSimulator({ clock: () => now, events: TEN, ...options });
    return { s: sim, token: await getToken(sim.url) };
  };

  it('serves a top-level array, newest first, with both bounds inclusive by default', async () => {
    const { s, token } = await start();
    const res = await audit(s.url, token, { start: T0 + 2000, end: T0 + 5000 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(times(res.json)).toEqual([T0 + 5000, T0 + 4000, T0 + 3000, T0 + 2000]);
  });

  it('honours exclusive bounds when configured', async () => {
    const { s, token } = await start({ startInclusive: false, endInclusive: false });
    const res = await audit(s.url, token, { start: T0 + 2000, end: T0 + 5000 });
    expect(times(res.json)).toEqual([T0 + 4000, T0 + 3000]);
  });

  it('serves everything from start on when end is left out', async () => {
    const { s, token } = await start();
    expect(times((await audit(s.url, token, { start: T0 + 7000 })).json)).toEqual([
      T0 + 9000,
      T0 + 8000,
      T0 + 7000,
    ]);
  });

  it('breaks ties in time by insertion order, identically on every request', async () => {
    const tied = [ev(T0, 'u1', 'first'), ev(T0, 'u1', 'second'), ev(T0, 'u1', 'third')];
    const { s, token } = await start({ events: tied });
    const a = await audit(s.url, token, { start: T0, end: T0 });
    const b = await audit(s.url, token, { start: T0, end: T0 });
    expect((a.json as { objectName: string }[]).map((e) => e.objectName)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(b.text).toBe(a.text);
  });

  it('renders entries with alphabetical keys, like the documented sample', async () => {
    const { s, token } = await start();
    const [entry] = (await audit(s.url, token, { start: T0, end: T0 })).json as Record<string, unknown>[];
    expect(Object.keys(entry as object)).toEqual([...Object.keys(entry as object)].sort());
    expect(entry).toMatchObject({ time: T0, userId: 'u1', actorId: 0, objectId: '663909457' });
  });

  it('pages with limit (default 50) and offset, and answers [] past the end', async () => {
    const many = Array.from({ length: 120 }, (_, i) => ev(T0 + i));
    const { s, token } = await start({ events: many });
    const first = await audit(s.url, token, { start: T0 });
    expect((first.json as unknown[]).length).toBe(50);
    expect(times(first.json)[0]).toBe(T0 + 119);
    const third = await audit(s.url, token, { start: T0, limit: 50, offset: 100 });
    expect(times(third.json)).toEqual(Array.from({ length: 20 }, (_, i) => T0 + 19 - i));
    const past = await audit(s.url, token, { start: T0, limit: 50, offset: 120 });
    expect(past.status).toBe(200);
    expect(past.text).toBe('[]');
    const nothing = await audit(s.url, token, { start: NOW - 10, end: NOW });
    expect(nothing.text).toBe('[]');
  });

  it('clamps limit above 1000 by default and rejects it with 400 when configured', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => ev(T0 + i));
    const clamping = await start({ events: many });
    const clamped = await audit(clamping.s.url, clamping.token, { start: T0, limit: 5000 });
    expect(clamped.status).toBe(200);
    expect((clamped.json as unknown[]).length).toBe(1000);
    await clamping.s.close();

    const rejecting = await start({ events: many, limitAboveMax: 'reject' });
    const rejected = await audit(rejecting.s.url, rejecting.token, { start: T0, limit: 1001 });
    expect(rejected.status).toBe(400);
    expect(rejected.json).toMatchObject({
      status: 400,
      path: '/v1/audit',
      message: expect.stringMatching(/limit/),
    });
    expect((await audit(rejecting.s.url, rejecting.token, { start: T0, limit: 1000 })).status).toBe(200);
  });

  it('filters on userId with the user parameter', async () => {
    const { s, token } = await start();
    const res = await audit(s.url, token, { start: T0, user: 'u2' });
    expect(times(res.json)).toEqual([T0 + 9000, T0 + 7000, T0 + 5000, T0 + 3000, T0 + 1000]);
    expect((res.json as { userId: string }[]).every((e) => e.userId === 'u2')).toBe(true);
    expect((await audit(s.url, token, { start: T0, user: 'nobody' })).text).toBe('[]');
  });

  it('answers 400 for a missing or non-numeric start and bad limit or offset, accepting padded numbers', async () => {
    const { s, token } = await start();
    const bad: Record<string, string | number>[] = [
      {},
      { start: 'abc' },
      { start: '1.5' },
      { start: 0, end: 'x' },
      { start: 0, limit: 0 },
      { start: 0, offset: -1 },
    ];
    for (const params of bad) {
      const res = await audit(s.url, token, params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.json).toMatchObject({ status: 400, statusReason: 'Bad Request', path: '/v1/audit' });
    }
    // Domo's own documented sample sends `start= 1513230600000`.
    expect((await audit(s.url, token, { start: ` ${T0}`, end: ` ${T0}` })).json).toHaveLength(1);
  });

  it('renders time as epoch ms, ISO 8601 or Domo doc strings in a configured zone', async () => {
    const at = Date.parse('2017-12-14T03:57:35.250Z');
    const one = [ev(at)];
    now = at + 60_000;
    const render = async (options: SimulatorOptions): Promise<unknown> => {
      const { s, token } = await start({ events: one, ...options });
      const [entry] = (await audit(s.url, token, { start: at, end: at })).json as { time: unknown }[];
      await s.close();
      return entry?.time;
    };
    expect(await render({})).toBe(at);
    expect(await render({ timeFormat: 'iso' })).toBe('2017-12-14T03:57:35.250Z');
    expect(await render({ timeFormat: 'docString' })).toBe('2017-12-14 03:57:35 AM');
    expect(await render({ timeFormat: 'docString', docStringTimeZone: 'America/New_York' })).toBe(
      '2017-12-13 10:57:35 PM',
    );
  });

  it('serves late events only once they become visible, with their old time', async () => {
    const { s, token } = await start();
    const late = ev(T0 + 500, 'u3');
    s.addEvents([late], NOW + 60_000);
    const before = await audit(s.url, token, { start: T0, end: T0 + 1000 });
    expect(times(before.json)).toEqual([T0 + 1000, T0]);
    expect(s.groundTruth().map((g) => g.timeMs)).not.toContain(T0 + 500);
    now = NOW + 60_000;
    const after = await audit(s.url, token, { start: T0, end: T0 + 1000 });
    expect(times(after.json)).toEqual([T0 + 1000, T0 + 500, T0]);
    expect(s.groundTruth().map((g) => g.timeMs)).toContain(T0 + 500);
  });

  it('serves no event before its own time', async () => {
    const { s, token } = await start({ events: [...TEN, ev(NOW + 5000)] });
    expect(times((await audit(s.url, token, { start: NOW })).json)).toEqual([]);
    now = NOW + 5000;
    expect(times((await audit(s.url, token, { start: NOW })).json)).toEqual([NOW + 5000]);
  });

  it('serves nothing older than the retention period, relative to the clock', async () => {
    const old = ev(NOW - 3 * DAY, 'u9');
    const { s, token } = await start({ events: [old, ...TEN], retentionDays: 2 });
    expect((await audit(s.url, token, { start: 0 })).json).toHaveLength(10);
    expect(s.groundTruth()).toHaveLength(10);
    expect(s.groundTruth(NOW - 2 * DAY)).toHaveLength(1);
    now = T0 + 2 * DAY + 5000;
    const fresh = await getToken(s.url);
    expect(times((await audit(s.url, fresh, { start: 0 })).json)).toEqual([
      T0 + 9000,
      T0 + 8000,
      T0 + 7000,
      T0 + 6000,
      T0 + 5000,
    ]);
  });

  it('has ground truth equal to paging over the whole range, in every time format', async () => {
    const to = NOW - DAY;
    const inst = generateInstance({ seed: 11, fromMs: to - 3 * DAY, toMs: to, users: 8 });
    for (const timeFormat of ['epochMs', 'docString', 'iso'] as const) {
      const { s, token } = await start({
        events: inst.events,
        timeFormat,
        docStringTimeZone: 'Europe/Berlin',
      });
      const served = await pageAll(s.url, token, to - 3 * DAY, to, 1000);
      const truth = s.groundTruth();
      expect(served.length).toBe(inst.events.length);
      expect(truth.map((g) => g.served)).toEqual(served);
      expect(truth.filter((g) => g.malformed)).toEqual([]);
      // Second-precision doc strings can make two real events byte-identical; the others cannot.
      if (timeFormat !== 'docString') expect(truth.filter((g) => g.twinOf !== undefined)).toEqual([]);
      await s.close();
    }
  });
});
