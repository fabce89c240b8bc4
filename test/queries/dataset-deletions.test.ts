/**
 * dataset_deletions lists every deletion of a dataset, by whom and in which local ISO week
 * (docs/queries.md, dataset_deletions): Domo's three names of a dataset in any letter case, an
 * admin's deletions as another user under the admin, ids naming nobody grouped by the name they
 * carry, and a week whose Monday moves with the zone. The simulated lake of known-answers.test.ts
 * deletes no dataset, so these records are the query's test.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { datasetDeletions } from './support/expected-investigation.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-09T00:00:00Z');
const TO = Date.parse('2026-11-30T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const ada = { user_id: '1', user_name: 'Ada' };
const bo = { user_id: '2', user_name: 'Bo' };
const xena = { actor_id: '7', actor_name: 'Xena' };
const deleted = (time: string, id: string, fields: Partial<EventRecord> = {}) =>
  event(time, {
    action_type: 'DELETED',
    object_type: 'DATA_SOURCE',
    object_id: id,
    object_name: `Dataset ${id}`,
    ...ada,
    ...fields,
  });

const events: EventRecord[] = [
  // Before the period: not listed.
  deleted('2026-11-08 23:59:59', 'd0'),
  // Ada deletes three datasets in the week of 9 November, under each of Domo's names for one.
  deleted('2026-11-10 09:00:00', 'd1'),
  deleted('2026-11-10 09:05:00', 'd2', { object_type: 'dataset' }),
  deleted('2026-11-11 10:00:00', 'd3', { object_type: 'DataSource', action_type: 'deleted' }),
  // Not deletions of a dataset: a card deleted, a dataset updated, exported or shared.
  deleted('2026-11-11 11:00:00', 'c1', { object_type: 'CARD' }),
  deleted('2026-11-11 11:01:00', 'd1', { action_type: 'UPDATED' }),
  deleted('2026-11-11 11:02:00', 'd1', { action_type: 'EXPORTED' }),
  deleted('2026-11-11 11:03:00', 'd1', { action_type: 'SHARED', object_type: 'DATASET' }),
  // Xena, an admin, deletes two datasets as Bo and one as Ada: hers, for them.
  deleted('2026-11-17 14:00:00', 'd4', { ...bo, ...xena }),
  deleted('2026-11-17 14:01:00', 'd5', { ...bo, ...xena }),
  deleted('2026-11-18 08:00:00', 'd6', { ...xena }),
  // Nobody named (0, empty, white space, none): grouped by the name carried.
  deleted('2026-11-19 01:00:00', 'd7', { user_id: '0', user_name: 'Cleanup job', actor_id: '0' }),
  deleted('2026-11-19 01:01:00', 'd8', { user_id: ' ', user_name: 'Cleanup job', actor_id: '' }),
  deleted('2026-11-19 01:02:00', 'd9', { user_id: null, user_name: null, actor_id: null }),
  // Late on Sunday 22 November in UTC, Monday the 23rd in Paris; early on Monday the 23rd in UTC,
  // Sunday the 22nd in Los Angeles.
  deleted('2026-11-22 23:30:00', 'd10', bo),
  deleted('2026-11-23 02:00:00', 'd11', bo),
  // The period's end is exclusive.
  deleted('2026-11-30 00:00:00', 'd12', bo),
];

const lake = useFixtureEngine('dataset-deletions-', { events });

const run = async (timeZone: string): Promise<QueryRow[]> =>
  (await lake.engine.run('dataset_deletions', { ...standardParams(period), time_zone: timeZone })).rows;

const columns = (r: QueryRow) => [
  r.dataset_id,
  r.week,
  r.user_id,
  r.user_name,
  r.on_behalf_of,
  r.week_deletions,
];

describe('dataset_deletions', () => {
  it('lists each dataset deleted, in time, under who did it, with their deletions that week', async () => {
    expect((await run('UTC')).map(columns)).toEqual([
      ['d1', '2026-11-09', '1', 'Ada', null, 3],
      ['d2', '2026-11-09', '1', 'Ada', null, 3],
      ['d3', '2026-11-09', '1', 'Ada', null, 3],
      ['d4', '2026-11-16', '7', 'Xena', '2', 3],
      ['d5', '2026-11-16', '7', 'Xena', '2', 3],
      ['d6', '2026-11-16', '7', 'Xena', '1', 3],
      ['d7', '2026-11-16', null, 'Cleanup job', null, 2],
      ['d8', '2026-11-16', null, 'Cleanup job', null, 2],
      ['d9', '2026-11-16', null, null, null, 1],
      ['d10', '2026-11-16', '2', 'Bo', null, 1],
      ['d11', '2026-11-23', '2', 'Bo', null, 1],
    ]);
  });

  it('takes the week of the local date: its Monday moves with the zone', async () => {
    const weeks = async (zone: string) =>
      Object.fromEntries((await run(zone)).map((r) => [r.dataset_id, [r.week, r.week_deletions]]));
    expect(await weeks('Europe/Paris')).toMatchObject({
      d10: ['2026-11-23', 2],
      d11: ['2026-11-23', 2],
    });
    expect(await weeks('America/Los_Angeles')).toMatchObject({
      d10: ['2026-11-16', 2],
      d11: ['2026-11-16', 2],
    });
  });

  for (const timeZone of ['UTC', 'Europe/Paris', 'America/Los_Angeles']) {
    it(`equals the answer computed in TypeScript in ${timeZone}`, async () => {
      expect(await run(timeZone)).toEqual(datasetDeletions(events, period, timeZone));
    });
  }
});
