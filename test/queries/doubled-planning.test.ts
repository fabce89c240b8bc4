/**
 * DuckDB's filter pushdown plans what lies under a step whose windows are all partitioned (or that
 * groups) twice over, so a chain of such steps plans the lake read under it 2, 4, 8... times: each
 * plan of it walks the file list of the view (duckdb-engine.ts), and login_after_failures, 13 such
 * steps deep, took 1.4 s of CPU to plan on two weeks of hourly files for a run of 0.02 s. The text
 * shows the depth; a run shows it only as time.
 */
import { describe, expect, it } from 'vitest';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { doubledPlanning } from './support/doubled-planning.ts';

/** 8 plans of a read at most: what the catalog's other queries need, each well under 0.1 s. */
const MAX_DOUBLINGS = 3;

describe('no catalog query has DuckDB plan its lake read more than 8 times', () => {
  for (const name of QUERY_NAMES) {
    it(name, () => {
      expect(doubledPlanning(loadQuery(name).sql)).toBeLessThanOrEqual(MAX_DOUBLINGS);
    });
  }
});

describe('the depth of doubled planning', () => {
  const chain = (steps: string[]) =>
    `WITH s0 AS (SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */), ${steps
      .map((select, i) => `s${i + 1} AS (SELECT s${i}.*, ${select} AS c${i + 1} FROM s${i})`)
      .join(', ')} SELECT * FROM s${steps.length}`;
  const partitioned = 'max(event_time) OVER (PARTITION BY user_id ORDER BY event_time_ms)';

  it('counts each step whose windows are all partitioned, on the path down to the lake', () => {
    expect(doubledPlanning(chain([partitioned, partitioned, partitioned]))).toBe(3);
    expect(doubledPlanning(chain(['event_id', partitioned]))).toBe(1);
    expect(doubledPlanning('SELECT 1 FROM (VALUES (1)) AS t (x)')).toBe(-1);
  });

  it('does not count a step that also has a window over every row', () => {
    const once = `${partitioned} AS p, row_number() OVER ()`;
    expect(doubledPlanning(chain([once, once, partitioned]))).toBe(1);
    expect(doubledPlanning(chain([`${partitioned} AS p, count(*) OVER (ORDER BY event_id)`]))).toBe(0);
  });

  it('counts a GROUP BY, and the deepest of two paths', () => {
    const grouped =
      'WITH a AS (SELECT user_id, count(*) AS n FROM activity_log GROUP BY user_id), ' +
      `b AS (SELECT a.*, ${partitioned} AS m FROM a), ` +
      'c AS (SELECT instance FROM coverage) SELECT * FROM b CROSS JOIN c';
    expect(doubledPlanning(grouped)).toBe(2);
  });

  it('finds the 13 steps of login_after_failures before each planned its child once', () => {
    const before = loadQuery('login_after_failures').sql.replace(
      /\n {4}row_number\(\) OVER \(\) AS planned_\w+,/g,
      '',
    );
    expect(before).not.toMatch(/OVER \(\) AS planned_/);
    expect(doubledPlanning(before)).toBe(13);
  });
});
