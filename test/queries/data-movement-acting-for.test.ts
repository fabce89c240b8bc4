/**
 * data_movement counts an event under who did it: an admin acting as someone else (actor_id) is
 * the admin, with the user acted for in `on_behalf_of`. Review R-QUERIES M2: Xena's exports for Ada
 * were Ada's rows, and "what did Xena take out" found nothing. And ids naming no user (`0`, `''`,
 * white space, none: Domo writes 0 for "nobody") are no pseudo-user, but grouped by the name they
 * carry, as failed_logins_and_lockouts groups them (R-QUERIES L2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { dataMovement } from './support/expected-investigation.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const ada = { user_id: '1', user_name: 'Ada' };
const bo = { user_id: '2', user_name: 'Bo' };
const xena = { actor_id: '7', actor_name: 'Xena' };
const exported = (time: string, id: string, fields: Partial<EventRecord>) =>
  event(`2026-11-17 ${time}`, {
    action_type: 'EXPORTED',
    object_type: 'DATA_SOURCE',
    object_id: id,
    ...fields,
  });
const shared = (time: string, id: string, fields: Partial<EventRecord>) =>
  event(`2026-11-17 ${time}`, { action_type: 'shared', object_type: 'PAGE', object_id: id, ...fields });

const events: EventRecord[] = [
  // Xena, an admin, exports two datasets as Ada and one as Bo, and shares a page as Bo.
  exported('10:00:00', 'd1', { ...ada, ...xena }),
  exported('10:01:00', 'd2', { ...ada, ...xena }),
  exported('10:02:00', 'd3', { ...bo, ...xena }),
  shared('10:03:00', 'p1', { ...bo, ...xena }),
  // Then one of her own (actor 0: nobody acted for her), and one naming herself as the actor.
  exported('11:00:00', 'd4', { user_id: '7', user_name: 'Xena K.', actor_id: '0', actor_name: '' }),
  exported('11:01:00', 'd5', { user_id: '7', user_name: 'Xena K.', actor_id: '7', actor_name: 'Xena K.' }),
  // Ada exports one herself; an actor of white space and 0 is nobody.
  exported('12:00:00', 'd6', { ...ada, actor_id: ' 0 ', actor_name: '' }),
  // Xena acting on an event naming no user: hers, on nobody's behalf named.
  exported('13:00:00', 'd7', { user_id: '0', user_name: null, ...xena }),
  // No user named: 0, empty, white space, none. Grouped by the name they carry.
  exported('14:00:00', 'd8', { user_id: '0', user_name: 'Scheduler', actor_id: '0' }),
  exported('14:01:00', 'd9', { user_id: '', user_name: 'Scheduler', actor_id: '' }),
  shared('14:02:00', 'p2', { user_id: ' \t', user_name: 'Scheduler', actor_id: null }),
  shared('14:03:00', 'p3', { user_id: null, user_name: null, actor_id: null }),
  exported('14:04:00', 'd10', { user_id: '0', user_name: 'Import bot', actor_id: '0' }),
  // Yuri, an admin, deletes a card as each of 12 users (ids 20 to 31): a list cut after 10 ids
  // (review R-Q3 M3: 3,000 of them made a 36 KB cell).
  ...Array.from({ length: 12 }, (_, i) =>
    event(`2026-11-18 09:${String(i).padStart(2, '0')}:00`, {
      action_type: 'DELETED',
      object_type: 'CARD',
      object_id: `c${i}`,
      user_id: String(20 + i),
      user_name: `User ${20 + i}`,
      actor_id: '8',
      actor_name: 'Yuri',
    }),
  ),
  // Ids are compared as stored (as user_activity finds them): an actor ' 5' on user 5 is another
  // id, the event made by ' 5' for 5 (review R-Q3 L1; Domo sends no such padding).
  shared('15:00:00', 'p4', { user_id: '5', user_name: 'Cy', actor_id: ' 5', actor_name: 'Cy' }),
];

let lake: FixtureEngine;
let rows: QueryRow[];
beforeAll(async () => {
  lake = await openFixtureEngine('data-movement-acting-for-', { events });
  rows = (await lake.engine.run('data_movement', standardParams(period))).rows;
});
afterAll(async () => {
  await lake?.close();
});

const columns = (r: QueryRow) => [
  r.user_id,
  r.user_name,
  r.kind,
  r.events,
  r.on_behalf_events,
  r.on_behalf_users,
  r.on_behalf_of,
];

describe('data_movement counts an event under who did it', () => {
  it("an admin's events for others are the admin's, with whom they were for", () => {
    expect(rows.map(columns)).toEqual([
      // Yuri's 12 deletions for 12 users: the first 10 ids in text order, then how many more.
      ['8', 'Yuri', 'delete', 12, 12, 12, '20, 21, 22, 23, 24, 25, 26, 27, 28, 29 and 2 more'],
      // Xena: 6 exports (3 for others, 1 on an event naming no user, 2 her own) and 1 share. Her
      // latest name is the one her last event carries, as the actor. The event naming no user is
      // made as someone else (on_behalf_events) for no user counted or listed.
      ['7', 'Xena', 'export', 6, 4, 2, '1, 2'],
      ['7', 'Xena', 'share', 1, 1, 1, '2'],
      [null, 'Scheduler', 'export', 2, 0, 0, null],
      [null, 'Scheduler', 'share', 1, 0, 0, null],
      // Of the ones with 1 event, an id first (in text order: ' 5' before '1'), then the names,
      // none last.
      [' 5', 'Cy', 'share', 1, 1, 1, '5'],
      ['1', 'Ada', 'export', 1, 0, 0, null],
      [null, 'Import bot', 'export', 1, 0, 0, null],
      [null, null, 'share', 1, 0, 0, null],
    ]);
  });

  it('equals the answer computed in TypeScript', () => {
    expect(rows).toEqual(dataMovement(events, period));
  });

  it('makes no row of a user for what an admin did as them, nor of the ids naming nobody', () => {
    expect(rows.filter((r) => r.user_id === '2')).toEqual([]);
    expect(rows.filter((r) => r.user_id === '1').map((r) => r.events)).toEqual([1]);
    expect(rows.some((r) => r.user_id === '0' || r.user_id === '' || r.user_id === ' \t')).toBe(false);
  });

  it("lists an id as user_activity finds it: the padded actor's event is under ' 5', for 5", async () => {
    const listed = async (id: string) =>
      (
        await lake.engine.run('user_activity', {
          ...standardParams(period),
          user_id: id,
          time_zone: 'UTC',
          max_rows: '10',
        })
      ).rows.map((r) => r.object_id);
    expect(await listed(' 5')).toEqual(['p4']);
    expect(await listed('5')).toEqual(['p4']);
  });
});

describe("the docs' recipe for the events of a row naming nobody", () => {
  // As docs/queries.md writes it, on this fixture's period and instance.
  const recipe = (name: string) => `SELECT event_time, user_id, user_name, actor_id, action_type,
  object_type, object_id, event_id FROM activity_log WHERE instance = 'default'
  AND dt BETWEEN '2026-11-16' AND '2026-11-22'
  AND event_time >= TIMESTAMP '2026-11-16 00:00:00' AND event_time < TIMESTAMP '2026-11-23 00:00:00'
  AND coalesce(translate(user_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), ''), '') IN ('', '0')
  AND coalesce(translate(actor_id, ' ' || chr(9) || chr(10) || chr(13) || chr(12), ''), '') IN ('', '0')
  AND ${name}
  AND (upper(action_type) IN ('EXPORTED', 'SHARED', 'DELETED')
    OR (upper(object_type) = 'ACCESS_TOKEN' AND upper(action_type) = 'CREATED')
    OR (upper(object_type) = 'ACTIVITY_LOG' AND upper(action_type) = 'VIEWED'))
  ORDER BY event_time, event_id`;

  it('lists as many events as the row counts', async () => {
    for (const [name, where] of [
      ['Scheduler', "user_name = 'Scheduler'"],
      ['Import bot', "user_name = 'Import bot'"],
      [null, 'user_name IS NULL'],
    ] as const) {
      const listed = (await lake.engine.runReadOnlySql(recipe(where), 'recipe')).rows;
      const counted = rows.filter((r) => r.user_id === null && r.user_name === name);
      expect(listed.length).toBe(counted.reduce((sum, r) => sum + Number(r.events), 0));
    }
  });
});
