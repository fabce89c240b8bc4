/**
 * bulk_data_movement's window (where the lake's history begins) reads one row a user, not one an
 * event: Athena holds the rows a window reads in memory, a window of no partition all on one node
 * (AWS's query tuning guide, "Reduce the scope of window functions"), and over the scan it read
 * every event of 37 days of a busy instance there. DuckDB's plan counts the rows each operator
 * read, so a window back over the scan fails here.
 */
import { describe, expect, it } from 'vitest';
import { positionalValues, standardParams } from '../../functions/core/queries/query-params.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { loadQuery } from '../../functions/queries/catalog.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event, manifest } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');

const at = (day: number, minute: number) =>
  `2026-11-${String(day).padStart(2, '0')} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;

// Three users' history (views) and week (exports), and events of no user: 300 events.
const events = [
  ...Array.from({ length: 240 }, (_, i) =>
    event(at(2 + (i % 12), i), { user_id: String(1 + (i % 3)), user_name: `U${1 + (i % 3)}` }),
  ),
  // The lake's first event, of no user, on Nov 1: the history runs 15 days.
  ...Array.from({ length: 28 }, (_, i) => event(at(1, i), { user_id: '0', user_name: 'Scheduler' })),
  ...['h1', 'h2'].map((id, i) =>
    event(at(10, i), { user_id: '1', action_type: 'EXPORTED', object_type: 'CARD', object_id: id }),
  ),
  ...Array.from({ length: 30 }, (_, i) =>
    event(at(17, i), {
      user_id: String(1 + (i % 3)),
      action_type: 'EXPORTED',
      object_type: 'DATA_SOURCE',
      object_id: `d${i}`,
    }),
  ),
];

// The lake covers every hour of the week, quiet after the 17th's exports, and none after it.
const coverage = Array.from({ length: (TO - FROM) / HOUR_MS }, (_, i) =>
  manifest(new Date(FROM + i * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ')),
);

const fixture = useFixtureEngine('bulk-window-', { events, coverage });

interface PlanNode {
  operator_type?: string;
  operator_cardinality?: number;
  children?: PlanNode[];
}

/** The rows each window operator of the plan read (DuckDB's profile: a window returns each row it reads). */
function windows(node: PlanNode): number[] {
  const own = /WINDOW/.test(node.operator_type ?? '') ? [node.operator_cardinality ?? Number.NaN] : [];
  return [...own, ...(node.children ?? []).flatMap(windows)];
}

async function windowRows(): Promise<number[]> {
  const query = loadQuery('bulk_data_movement');
  const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
  const result = await fixture.engine.runSql(
    `EXPLAIN (ANALYZE, FORMAT json) ${query.sql}`,
    positionalValues(query, params),
  );
  const plan = JSON.parse(String(Object.values(result.rows[0] ?? {}).at(-1))) as PlanNode;
  return windows(plan);
}

describe('bulk_data_movement', () => {
  it('holds one row a user in its window, not every event it scanned', async () => {
    const rows = await windowRows();
    expect(rows.length, 'the plan has its window').toBeGreaterThan(0);
    // Three users and the row of no user: 4, where the scan holds 300 events.
    expect(Math.max(...rows)).toBeLessThanOrEqual(4);
  });

  it('still finds where the lake begins from events of no user', async () => {
    const query = loadQuery('bulk_data_movement');
    const result = await fixture.engine.run(
      query.name,
      standardParams({ instance: 'default', fromMs: FROM, toMs: TO }),
    );
    // 2 moves over 15 days (from the Scheduler's Nov 1, not the users' Nov 2): 0.9 a week.
    expect(result.rows.map((r) => [r.user_id, r.finding, r.moves, r.baseline_moves])).toEqual([
      ['1', 'above_baseline', 10, 0.9],
      ['2', 'first_time', 10, 0],
      ['3', 'first_time', 10, 0],
    ]);
  });

  it("scales the baseline to the lake's hours of a period asked while it runs", async () => {
    // Asked on 2026-11-23 for the period to 2026-12-01: the lake holds its first 7 days alone, so
    // the baseline is the week's 0.9, not 2 over the 15 days asked for.
    const running = standardParams({
      instance: 'default',
      fromMs: FROM,
      toMs: Date.parse('2026-12-01T00:00:00Z'),
    });
    const result = await fixture.engine.run('bulk_data_movement', running);
    expect(result.rows.map((r) => [r.user_id, r.finding, r.moves, r.baseline_moves])).toEqual([
      ['1', 'above_baseline', 10, 0.9],
      ['2', 'first_time', 10, 0],
      ['3', 'first_time', 10, 0],
    ]);
  });
});
