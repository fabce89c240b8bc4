/**
 * admin_changes lists a privileged change Domo served twice once. The ingest stores the copy of an
 * entry served byte for byte alike as `X-1` beside `X` (identical twins, twin-entries.ts); the
 * query listed both rows, and the weekly report, which reads it, both changes, where the alert
 * folds them into one (detect-privileged-changes.ts). The row is `X`'s, `twins` its copies.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const params = standardParams({
  instance: 'default',
  fromMs: Date.parse('2026-11-16T00:00:00Z'),
  toMs: Date.parse('2026-11-23T00:00:00Z'),
});

const id = (digit: string) => digit.repeat(64);
/** One entry as Domo served it, and `copies` more the ingest stored as its twins. */
const served = (time: string, first: string, copies: number, fields: Partial<EventRecord>): EventRecord[] => {
  const entry = event(time, { event_id: first, ...fields });
  return [entry, ...Array.from({ length: copies }, (_, k) => ({ ...entry, event_id: `${first}-${k + 1}` }))];
};

const token = { user_id: '11', user_name: 'Ann', object_type: 'ACCESS_TOKEN', action_type: 'CREATED' };
const role = { user_id: '12', user_name: 'Eve', object_type: 'ROLE', object_name: 'Admin' };

const lake = useFixtureEngine('admin-changes-twins-', {
  events: [
    ...served('2026-11-17 09:00:00', id('a'), 1, token),
    ...served('2026-11-18 09:00:00', id('b'), 2, role),
    // A twin whose first copy the lake does not hold in the period: a row of its own.
    ...served('2026-11-19 09:00:00', id('c'), 1, { user_id: '12', object_type: 'GROUP' }).slice(1),
    ...served('2026-11-20 09:00:00', id('d'), 0, { user_id: '11', object_type: 'USER' }),
  ],
});

const run = async (values: Record<string, string> = {}): Promise<QueryRow[]> =>
  (await lake.engine.run('admin_changes', { ...params, ...values })).rows;
const brief = (r: QueryRow) => [r.event_id, r.twins, r.total_rows];

describe('admin_changes: a change Domo served twice is one row', () => {
  it('lists the first copy alone, counting the others as its twins, and counts changes, not copies', async () => {
    expect((await run()).map(brief)).toEqual([
      [id('a'), 1, 4],
      [id('b'), 2, 4],
      [`${id('c')}-1`, 0, 4],
      [id('d'), 0, 4],
    ]);
  });

  it("folds them the same for one doer's changes and for the report's gravest cut", async () => {
    expect((await run({ doer_id: '12' })).map(brief)).toEqual([
      [id('b'), 2, 2],
      [`${id('c')}-1`, 0, 2],
    ]);
    expect((await run({ keep_rows: 'gravest', max_rows: '2' })).map(brief)).toEqual([
      [id('a'), 1, 4],
      [id('b'), 2, 4],
    ]);
  });
});
