/**
 * data_movement's and admin_changes' `doer_id`: what one user took out or changed, without reading
 * everyone's rows (review IR, stop 81: "what did user X export / change" meant reading them all).
 * The user is who did it, as the rows name them: the actor when acting as another. Left out (the
 * weekly report's run of admin_changes), or empty, it lists everyone, as before.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { checkParamValue, periodParams, standardParams } from '../../functions/core/queries/query-params.ts';
import { bindParams, loadQuery } from '../../functions/queries/catalog.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const ada = { user_id: '1', user_name: 'Ada' };
const bo = { user_id: '2', user_name: 'Bo' };
const asXena = { actor_id: '7', actor_name: 'Xena' };

const events: EventRecord[] = [
  // Exports: Ada's own, Bo's own, Xena's as Ada and her own.
  event('2026-11-17 10:00:00', { ...ada, action_type: 'EXPORTED', object_type: 'CARD', object_id: 'c1' }),
  event('2026-11-17 10:01:00', { ...bo, action_type: 'EXPORTED', object_type: 'CARD', object_id: 'c2' }),
  event('2026-11-17 10:02:00', {
    ...ada,
    ...asXena,
    action_type: 'EXPORTED',
    object_type: 'CARD',
    object_id: 'c3',
  }),
  event('2026-11-17 10:03:00', {
    user_id: '7',
    user_name: 'Xena',
    action_type: 'SHARED',
    object_type: 'PAGE',
    object_id: 'p1',
  }),
  // Changes to who may do what: Bo's, Xena's as Ada, then two of Xena's own.
  event('2026-11-18 09:00:00', { ...bo, action_type: 'UPDATED', object_type: 'GROUP', object_id: 'g1' }),
  event('2026-11-18 09:01:00', {
    ...ada,
    ...asXena,
    action_type: 'CHANGED',
    object_type: 'ROLE',
    object_id: 'r1',
  }),
  event('2026-11-18 09:02:00', {
    user_id: '7',
    user_name: 'Xena',
    action_type: 'CREATED',
    object_type: 'ACCESS_TOKEN',
    object_id: 't1',
  }),
  event('2026-11-18 09:03:00', {
    user_id: '7',
    user_name: 'Xena',
    action_type: 'ADDED',
    object_type: 'GROUP',
    object_id: 'g2',
  }),
];

const run = async (name: string, values: Record<string, string>): Promise<QueryRow[]> =>
  (await lake.engine.run(name, values)).rows;

const lake = useFixtureEngine('doer-id-filter-', { events });

describe('data_movement and admin_changes take one user who did it (doer_id)', () => {
  it("data_movement lists that user's rows alone, the same rows as unfiltered", async () => {
    const all = await run('data_movement', standardParams(period));
    const xena = await run('data_movement', { ...standardParams(period), doer_id: '7' });
    expect(xena.map((r) => [r.user_id, r.kind, r.events, r.on_behalf_of])).toEqual([
      ['7', 'export', 1, '1'],
      ['7', 'share', 1, null],
      ['7', 'token_created', 1, null],
    ]);
    expect(xena).toEqual(all.filter((r) => r.user_id === '7'));
    // Ada's own export alone: Xena's export as Ada is Xena's.
    expect(
      (await run('data_movement', { ...standardParams(period), doer_id: '1' })).map((r) => r.events),
    ).toEqual([1]);
  });

  it('admin_changes lists the changes that user made, as another too, counted alone', async () => {
    const xena = await run('admin_changes', { ...standardParams(period), doer_id: '7' });
    expect(xena.map((r) => [r.user_id, r.actor_id, r.object_id, r.total_rows])).toEqual([
      ['1', '7', 'r1', 3],
      ['7', '0', 't1', 3],
      ['7', '0', 'g2', 3],
    ]);
    // Cut at one row, the newest kept: the cut is of that user's changes.
    const cut = await run('admin_changes', {
      ...standardParams(period),
      doer_id: '7',
      max_rows: '1',
      keep_rows: 'newest',
    });
    expect(cut.map((r) => [r.object_id, r.total_rows])).toEqual([['g2', 3]]);
    expect(await run('admin_changes', { ...standardParams(period), doer_id: '99' })).toEqual([]);
  });

  it('lists everyone when left out or empty, as the weekly report runs admin_changes', async () => {
    const week = {
      ...periodParams('default', FROM, TO),
      time_zone: 'UTC',
      max_rows: '1000',
      keep_rows: 'gravest',
    };
    const unnamed = await run('admin_changes', week);
    expect(unnamed.map((r) => r.object_id)).toEqual(['g1', 'r1', 't1', 'g2']);
    expect(await run('admin_changes', { ...week, doer_id: '' })).toEqual(unnamed);
    expect(bindParams('data_movement', { ...periodParams('default', FROM, TO) })).toContain('');
  });

  it('refuses a doer_id naming nobody, as user_id, and takes an empty one', () => {
    expect(checkParamValue('doer_id', '0')).toMatch(/names no user/);
    expect(checkParamValue('doer_id', ' ')).toMatch(/names no user/);
    expect(checkParamValue('doer_id', '')).toBeUndefined();
    expect(checkParamValue('doer_id', '7')).toBeUndefined();
  });

  it("is named in both queries' parameters and headers", () => {
    for (const name of ['data_movement', 'admin_changes']) {
      const query = loadQuery(name);
      expect(query.params).toContain('doer_id');
      expect(query.details).toMatch(/doer_id/);
    }
  });
});
