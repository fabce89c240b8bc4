/**
 * The query to dig into a bulk export finds the exports its doer made acting as other users: those
 * rows name the other user in `user_id` and the doer in `actor_id` (export-events.ts), and the
 * query lists `actor_id` then, so the reader sees who did them.
 */
import { describe, expect, it } from 'vitest';
import { detectBulkExports } from '../../../functions/core/alerts/detect-bulk-exports.ts';
import { digQuery } from '../../../functions/core/alerts/dig-further.ts';
import { alertEventOf, keptReadsOf } from '../../../functions/core/alerts/kept-events.ts';
import { event } from '../../queries/support/lake-fixture.ts';
import { trino } from '../../support/trino-grammar.ts';
import { hourInput } from './support/alert-fixtures.ts';
import { digRowsOnDuckDb } from './support/dig-on-duckdb.ts';

const H = Date.parse('2026-10-05T10:00:00Z');

/** Admin 7 exporting card `c<k>` acting as user `10<k>`, at 10:0k. */
const acting = [0, 1, 2, 3, 4].map((k) =>
  event(`2026-10-05 10:0${k}:00`, {
    user_id: `10${k}`,
    user_name: `User ${k}`,
    actor_id: '7',
    actor_name: 'Admin Ada',
    action_type: 'EXPORTED',
    object_id: `c${k}`,
  }),
);

describe('the query to dig into a bulk export', () => {
  it("finds the exports the doer made acting as other users, and names the doer's id", async () => {
    const kept = acting.flatMap((r) => alertEventOf(r, keptReadsOf({ exportBurst: 5 })) ?? []);
    const alerts = detectBulkExports(hourInput(H, kept, { exportBurst: 5 }));
    expect(alerts.map((a) => a.user_id)).toEqual(['7']);
    const query = digQuery('default', alerts);
    expect(trino.validate(query)).toEqual([]);
    const rows = await digRowsOnDuckDb(query, [
      ...acting,
      event('2026-10-05 10:10:00', { user_id: '8', actor_id: '0', object_id: 'not-theirs' }),
    ]);
    expect(rows.map((r) => [r.user_id, r.actor_id, r.object_id])).toEqual(
      [0, 1, 2, 3, 4].map((k) => [`10${k}`, '7', `c${k}`]),
    );
  });
});
