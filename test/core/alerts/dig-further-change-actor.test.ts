/**
 * The query to dig into a privileged change an admin made acting as another user finds the
 * admin's events: admin_changes and the weekly report name the admin as its doer, and the query
 * found only the user acted as (until 2026-12-07).
 */
import { describe, expect, it } from 'vitest';
import { detectPrivilegedChanges } from '../../../functions/core/alerts/detect-privileged-changes.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { alertEventOf } from '../../../functions/core/alerts/kept-events.ts';
import { event } from '../../queries/support/lake-fixture.ts';
import { trino } from '../../support/trino-grammar.ts';
import { hourInput } from './support/alert-fixtures.ts';
import { digRowsOnDuckDb } from './support/dig-on-duckdb.ts';

const H = Date.parse('2026-10-05T10:00:00Z');

/** Admin 7 adds user 100 to the admins' group acting as user 100. */
const change = event('2026-10-05 10:05:00', {
  user_id: '100',
  user_name: 'Bo Bell',
  actor_id: '7',
  actor_name: 'Admin Ada',
  category: 'other',
  action_type: 'UPDATED',
  object_type: 'GROUP',
  object_id: 'g1',
  object_name: 'Admins',
});

describe('the query to dig into a privileged change made acting as another', () => {
  it("finds the actor's own events and those done as others, beside the user's", async () => {
    const kept = [change].flatMap((r) => alertEventOf(r) ?? []);
    const alerts = detectPrivilegedChanges(hourInput(H, kept));
    expect(alerts.map((a) => [a.user_id, a.actor_id])).toEqual([['100', '7']]);
    const query = digQuery('default', alerts);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      change,
      event('2026-10-05 10:01:00', { user_id: '7', object_id: 'own' }),
      event('2026-10-05 10:08:00', { user_id: '101', actor_id: '7', object_id: 'as-101' }),
      event('2026-10-05 10:10:00', { user_id: '8', actor_id: '0', object_id: 'not-theirs' }),
    ]);
    expect(rows.map((r) => r.object_id)).toEqual(expect.arrayContaining(['g1', 'own', 'as-101']));
    expect(rows.map((r) => r.object_id)).not.toContain('not-theirs');
  });
});
