/**
 * One definition of an export: the `bulk_export` detector's (export-events.ts) and
 * bulk_data_movement.sql's, on DuckDB over the same fixture events, count the same exports and
 * distinct objects under the same doer: any letter case of `EXPORTED`, shares left out, the actor
 * when one other than the user is named, ids of white space or `0` naming nobody, other ids as
 * written, and an export whatever category a rule filed it under. The detector's side reads the
 * events as an alerts run does (kept-events.ts, with the exports on).
 */
import { describe, expect, it } from 'vitest';
import { type AlertEvent, readsEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectBulkExports } from '../../../functions/core/alerts/detect-bulk-exports.ts';
import { exportDoer, exportObjectKey, isExport } from '../../../functions/core/alerts/export-events.ts';
import { alertEventOfLine, keptReadsOf } from '../../../functions/core/alerts/kept-events.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';
import { loadQuery } from '../../../functions/queries/catalog.ts';
import { useFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { event } from '../../queries/support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');

/** An export in the period (Nov 17, 10:mm). */
const exp = (minute: number, fields: Partial<EventRecord>) =>
  event(`2026-11-17 10:${String(minute).padStart(2, '0')}:00`, { action_type: 'EXPORTED', ...fields });

/** The period's events: exports and shares under every spelling of who did them. */
const PERIOD: EventRecord[] = [
  exp(0, { user_id: '1', object_id: 'a' }),
  exp(1, { user_id: '1', object_id: 'a' }),
  exp(2, { user_id: '1', action_type: 'exported', object_id: 'b' }),
  exp(3, { user_id: '1', action_type: 'Exported', object_type: 'DATA_SOURCE', object_id: 'a' }),
  exp(4, { user_id: '1', object_id: null }),
  exp(5, { user_id: '1', action_type: 'SHARED', object_id: 'z' }),
  // An admin (7) acting as users 2 and 3; an actor of 0, blank or the user is nobody else.
  exp(6, { user_id: '2', actor_id: '7', actor_name: 'Admin', object_id: 'c' }),
  exp(7, { user_id: '3', actor_id: '7', actor_name: 'Admin', object_id: 'd' }),
  exp(8, { user_id: '2', actor_id: ' 0 ', object_id: 'e' }),
  exp(9, { user_id: '2', actor_id: '', object_id: 'f' }),
  exp(10, { user_id: '2', actor_id: '2', object_id: 'g' }),
  exp(11, { user_id: null, actor_id: '8', actor_name: 'Bot', object_id: 'h' }),
  // Nobody named: not counted.
  exp(12, { user_id: '0', actor_id: '0', object_id: 'i' }),
  exp(13, { user_id: ' \t', actor_id: null, object_id: 'j' }),
  // An id with white space inside still names someone, as written: ' 4' and '4' are two doers,
  // and an actor ' 5' is another than the user '5' (the SQL compares the ids as written).
  exp(14, { user_id: ' 4', object_id: 'k' }),
  exp(15, { user_id: '4', object_id: 'k' }),
  exp(16, { user_id: '4\t', object_id: 'l' }),
  exp(17, { user_id: '5', actor_id: ' 5', actor_name: 'Five', object_id: 'm' }),
  // Exports a category rule filed under another category: the SQL reads no category.
  exp(20, { user_id: '6', category: 'logout', object_id: 'n' }),
  exp(21, { user_id: '6', category: 'login', object_id: 'o' }),
  exp(22, { user_id: '6', category: 'login_failed', object_id: 'p' }),
  exp(23, { user_id: null, actor_id: '6', category: 'login', object_id: 'q' }),
  exp(24, { user_id: '6', category: 'lockout', action_type: 'exported', object_id: 'r' }),
];

/** A history event of every doer, so the SQL lists each (first_time). */
const HISTORY = ['1', '2', '7', '8', ' 4', '4', '4\t', ' 5', '6'].map((id) =>
  event('2026-11-10 09:00:00', { user_id: id }),
);

const fixture = useFixtureEngine('bulk-export-sql-', { events: [...HISTORY, ...PERIOD] });

/**
 * The period's events as the detector is handed them: through the alerts run's read of a lake line
 * with the exports on, and the detector's own view of what it reads.
 */
const read = (): AlertEvent[] =>
  PERIOD.flatMap((e, i) => {
    const kept = alertEventOfLine(JSON.stringify(e), 'x.ndjson.gz', i + 1, keptReadsOf({ exportBurst: 5 }));
    return kept !== undefined && readsEvent(detectBulkExports.reads, kept) ? [kept] : [];
  });

/** Exports and distinct objects by doer, as the detector reads them. */
function detectorCounts(): Record<string, [exports: number, objects: number]> {
  const byDoer = new Map<string, { exports: number; objects: Set<string> }>();
  for (const e of read()) {
    const doer = isExport(e) ? exportDoer(e) : null;
    if (doer === null) continue;
    const held = byDoer.get(doer.id) ?? { exports: 0, objects: new Set<string>() };
    held.exports++;
    const key = exportObjectKey(e);
    if (key !== null) held.objects.add(key);
    byDoer.set(doer.id, held);
  }
  return Object.fromEntries([...byDoer].map(([id, held]) => [id, [held.exports, held.objects.size]]));
}

describe('an export, as the bulk_export alert and bulk_data_movement read it', () => {
  it('is the same events under the same doers, with the same distinct objects', async () => {
    const query = loadQuery('bulk_data_movement');
    const result = await fixture.engine.run(
      query.name,
      standardParams({ instance: 'default', fromMs: FROM, toMs: TO }),
    );
    // The SQL's objects count shares too: compared for the doers without shares (all but 1).
    const sql = Object.fromEntries(
      result.rows.map((r) => [
        String(r.user_id),
        [Number(r.exports), Number(r.shares) === 0 ? Number(r.objects) : 'with shares'],
      ]),
    );
    const detector = detectorCounts();
    expect(sql).toEqual({
      ...detector,
      1: [detector['1']?.[0], 'with shares'],
    });
    expect(detector).toEqual({
      1: [5, 3],
      2: [3, 3],
      7: [2, 2],
      8: [1, 1],
      ' 4': [1, 1],
      4: [1, 1],
      '4\t': [1, 1],
      ' 5': [1, 1],
      6: [5, 5],
    });
  });
});
