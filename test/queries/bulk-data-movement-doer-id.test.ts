/**
 * bulk_data_movement's `doer_id`, as data_movement's and admin_changes' (helper QBYTES): "did user X
 * move more than usual" without reading everyone's rows. The user is who did it (the actor when
 * acting as another). Filtered after the window that finds where the lake's history begins, which
 * is everyone's first event: a user's row is the same as unfiltered.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });

const ada = { user_id: '1', user_name: 'Ada' };
const bo = { user_id: '2', user_name: 'Bo' };
const export_ = (time: string, who: Partial<EventRecord>, object: string): EventRecord =>
  event(time, { ...who, action_type: 'EXPORTED', object_type: 'CARD', object_id: object });

const events: EventRecord[] = [
  // The lake's history begins with Cy's view, 23 days before the period.
  event('2026-10-24 09:00:00', { user_id: '3', user_name: 'Cy', action_type: 'VIEWED' }),
  // Ada viewed, never moved: her export in the period is a first.
  event('2026-11-10 09:00:00', { ...ada, action_type: 'VIEWED' }),
  export_('2026-11-17 10:00:00', ada, 'c1'),
  // Bo moved twice two days before the period, six times in it: above his baseline of 2 moves
  // over the 23 days the lake holds (0.6 a week), not over the 2 days from his own first event.
  export_('2026-11-14 09:00:00', bo, 'h1'),
  export_('2026-11-14 09:01:00', bo, 'h2'),
  ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id, i) => export_(`2026-11-18 10:0${i}:00`, bo, id)),
  // Xena, acting as Ada, exported: a first of Xena's, not Ada's.
  event('2026-11-01 08:00:00', { user_id: '7', user_name: 'Xena', action_type: 'VIEWED' }),
  export_('2026-11-19 11:00:00', { ...ada, actor_id: '7', actor_name: 'Xena' }, 'c9'),
];

const lake = useFixtureEngine('bulk-doer-id-', { events });
const run = async (values: Record<string, string>): Promise<QueryRow[]> =>
  (await lake.engine.run('bulk_data_movement', values)).rows;

describe('bulk_data_movement takes one user who did it (doer_id)', () => {
  it("lists that user's row alone, the same row as unfiltered", async () => {
    const all = await run(params);
    expect(all.map((r) => [r.user_id, r.finding, r.moves])).toEqual([
      ['2', 'above_baseline', 6],
      ['1', 'first_time', 1],
      ['7', 'first_time', 1],
    ]);
    for (const id of ['1', '2', '7']) {
      expect(await run({ ...params, doer_id: id })).toEqual(all.filter((r) => r.user_id === id));
    }
  });

  it('lists nobody for a user it does not judge, or no user', async () => {
    expect(await run({ ...params, doer_id: '3' })).toEqual([]);
    expect(await run({ ...params, doer_id: '99' })).toEqual([]);
  });
});
