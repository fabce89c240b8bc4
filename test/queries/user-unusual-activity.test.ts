/**
 * user_unusual_activity (helper OFFBOARD): "what did this leaver do lately that they do not
 * usually do" for one user, per action and object. Firsts of moves are listed at one event, views
 * only from 5; far more than usual is at least 5 and 3 times the history's rate, the history's
 * length running from the lake's first event in the window; what an admin did as the user is the
 * admin's; a user with no history gets every row as no_history, never an empty answer. The period
 * is scaled up to where the lake's hours end: asked while it runs, its days to come are not counted.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event, manifest } from './support/lake-fixture.ts';

// A week, with 30 days of history before it; the lake's first event is 14 days before the week.
const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });

const ada = { user_id: '1', user_name: 'Ada' };
const view = (time: string, card: string, who: Partial<EventRecord> = ada): EventRecord =>
  event(time, {
    ...who,
    action_type: 'VIEWED',
    object_type: 'CARD',
    object_id: card,
    object_name: `Card ${card}`,
  });
const times = (day: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${day} 1${i % 10}:0${Math.floor(i / 10)}:00`);

const events: EventRecord[] = [
  // The lake begins with Cy's view, 14 days before the week: the history is 14 days long, not 30.
  view('2026-11-02 08:00:00', 'x', { user_id: '3', user_name: 'Cy' }),
  // Card a: 2 views in the history (1 a week), 6 in the week: above usual.
  ...times('2026-11-05', 2).map((t) => view(t, 'a')),
  ...times('2026-11-17', 6).map((t) => view(t, 'a')),
  // Card b: 4 views in the history (2 a week), 5 in the week: under 3 times usual.
  ...times('2026-11-06', 4).map((t) => view(t, 'b')),
  ...times('2026-11-18', 5).map((t) => view(t, 'b')),
  // Card c: new to Ada, 4 views: a view under 5 is no finding. Card d: new, 5 views: a first.
  ...times('2026-11-19', 4).map((t) => view(t, 'c')),
  ...times('2026-11-19', 5).map((t) => view(t, 'd')),
  // A dataset exported once, a first; the name it carries last.
  event('2026-11-20 09:00:00', {
    ...ada,
    action_type: 'exported',
    object_type: 'DATA_SOURCE',
    object_id: 'ds1',
    object_name: 'Payroll',
  }),
  event('2026-11-20 09:05:00', {
    ...ada,
    action_type: 'EXPORTED',
    object_type: 'DATA_SOURCE',
    object_id: 'ds1',
    object_name: null,
  }),
  // A share Ada made before as well: no first, and 1 is under 5.
  event('2026-11-03 09:00:00', { ...ada, action_type: 'SHARED', object_type: 'PAGE', object_id: 'p1' }),
  event('2026-11-21 09:00:00', { ...ada, action_type: 'SHARED', object_type: 'PAGE', object_id: 'p1' }),
  // Xena, acting as Ada, exported: Xena's deed (her first), not Ada's.
  view('2026-11-04 08:00:00', 'z', { user_id: '7', user_name: 'Xena' }),
  event('2026-11-21 10:00:00', {
    ...ada,
    actor_id: '7',
    actor_name: 'Xena',
    action_type: 'EXPORTED',
    object_id: 'c9',
  }),
  // Bo has no event before the week: nothing judged, every row of his listed as such.
  view('2026-11-18 09:00:00', 'a', { user_id: '2', user_name: 'Bo' }),
  event('2026-11-18 09:10:00', { user_id: '2', user_name: 'Bo', action_type: 'EXPORTED', object_id: 'e1' }),
];

// The lake covers every hour of the week, its quiet last day and a half too, and no hour after it.
const coverage = Array.from({ length: (TO - FROM) / HOUR_MS }, (_, i) =>
  manifest(new Date(FROM + i * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ')),
);

const lake = useFixtureEngine('user-unusual-', { events, coverage });
const run = async (values: Record<string, string>): Promise<QueryRow[]> =>
  (await lake.engine.run('user_unusual_activity', values)).rows;
const brief = (r: QueryRow) => [
  r.action_type,
  r.object_id,
  r.finding,
  r.events,
  r.history_events,
  r.usual_events,
];

describe("user_unusual_activity: one user's period against their own history", () => {
  it('lists firsts and far more than usual, moves before views, the rest left out', async () => {
    const rows = await run({ ...params, user_id: '1' });
    expect(rows.map(brief)).toEqual([
      ['EXPORTED', 'ds1', 'first_time', 2, 0, 0],
      ['VIEWED', 'a', 'above_usual', 6, 2, 1],
      ['VIEWED', 'd', 'first_time', 5, 0, 0],
    ]);
    expect(rows[0]?.object_name).toBe('Payroll');
    expect(rows[0]?.first_time).toBe('2026-11-20 09:00:00.000');
    expect(rows[0]?.last_time).toBe('2026-11-20 09:05:00.000');
    expect(rows.map((r) => r.total_rows)).toEqual([3, 3, 3]);
  });

  it("gives the admin's deed as another user to the admin", async () => {
    expect((await run({ ...params, user_id: '7' })).map(brief)).toEqual([
      ['EXPORTED', 'c9', 'first_time', 1, 0, 0],
    ]);
  });

  it('says no_history for a user with no event before the period, rather than nothing', async () => {
    // His one view stays out (a view is listed from 5), his export is listed, unjudged.
    expect((await run({ ...params, user_id: '2' })).map(brief)).toEqual([
      ['EXPORTED', 'e1', 'no_history', 1, 0, 0],
    ]);
  });

  it("scales the usual to the lake's hours of a period asked while it runs, not to its days to come", async () => {
    // Asked on 2026-11-23 for the half month to 2026-12-01: the lake holds its first 7 days only.
    // Scaled over 15 days card a's usual would be 2.1, and its 6 views under 3 times that.
    const running = standardParams({
      instance: 'default',
      fromMs: FROM,
      toMs: Date.parse('2026-12-01T00:00:00Z'),
    });
    const rows = await run({ ...running, user_id: '1' });
    expect(rows.map(brief)).toEqual([
      ['EXPORTED', 'ds1', 'first_time', 2, 0, 0],
      ['VIEWED', 'a', 'above_usual', 6, 2, 1],
      ['VIEWED', 'd', 'first_time', 5, 0, 0],
    ]);
  });

  it('cuts at max_rows, keeping the count of all', async () => {
    const rows = await run({ ...params, user_id: '1', max_rows: '1' });
    expect(rows.map(brief)).toEqual([['EXPORTED', 'ds1', 'first_time', 2, 0, 0]]);
    expect(rows[0]?.total_rows).toBe(3);
  });
});

describe('user_unusual_activity on a lake without coverage manifests', () => {
  // The same history of card a, the period's views on its second day, and no manifest at all.
  const bare = useFixtureEngine('user-unusual-bare-', {
    events: [
      view('2026-11-02 08:00:00', 'x', { user_id: '3', user_name: 'Cy' }),
      ...times('2026-11-05', 2).map((t) => view(t, 'a')),
      ...times('2026-11-17', 6).map((t) => view(t, 'a')),
    ],
  });

  it("ends the period at its last event's hour, not at a to_ts after it", async () => {
    // 2026-11-16 00:00 to 2026-11-17 16:00 (the hour of the last view ends then) against the 14
    // days from 2026-11-02 08:00: usual 2 * 40 h / 328 h. Scaled to the 15 days asked for it was 2.2.
    const running = standardParams({
      instance: 'default',
      fromMs: FROM,
      toMs: Date.parse('2026-12-01T00:00:00Z'),
    });
    const { rows } = await bare.engine.run('user_unusual_activity', { ...running, user_id: '1' });
    expect(rows.map(brief)).toEqual([['VIEWED', 'a', 'above_usual', 6, 2, 0.2]]);
  });
});
