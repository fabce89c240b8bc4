/**
 * Every catalog query bounds the `dt` partitions it reads by its parameters: Athena prunes its
 * partitions on those conditions and bills only the days they leave, and local DuckDB lists only
 * those days' files (lakeDatesRead, which the engine itself uses). A query that reads the whole lake
 * still answers right, on a young lake quickly, so only this rule notices it (review R-CONTRIB M6:
 * `AND (dt BETWEEN … OR dt IS NULL)` passed every other test of the catalog).
 */
import { describe, expect, it } from 'vitest';
import { lakeDatesRead } from '../../functions/core/queries/query-dates.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';

/** Queries that read from a day on with no last day, and why (docs/queries.md says so of each). */
const OPEN_ENDED: Record<string, string> = {
  latest_events: 'the latest events on or after a day: every day from from_dt to the lake’s last',
};

const values = {
  ...standardParams({
    instance: 'acme',
    fromMs: Date.parse('2026-11-16T00:00:00Z'),
    toMs: Date.parse('2026-11-23T00:00:00Z'),
  }),
  user_id: '7',
};

const HOW =
  'filter every scan of a lake table on `dt BETWEEN ? /* from_dt */ AND ? /* to_dt */` (or the ' +
  'history’s or previous period’s *_dt), AND-ed with its other conditions in the WHERE of ' +
  '`FROM <table> [alias]` with no join or comma there: an OR or a NOT beside it reads the whole ' +
  'lake (docs/queries.md, "For developers")';

describe('every catalog query reads only the days its parameters name', () => {
  for (const name of QUERY_NAMES) {
    it(name, () => {
      const read = [...lakeDatesRead(loadQuery(name), values)];
      expect(read.length, `${name} reads no lake table`).toBeGreaterThan(0);
      const unbounded = read.filter(
        ([, dates]) => dates.from === undefined || (dates.to === undefined && !(name in OPEN_ENDED)),
      );
      expect(
        unbounded.map(
          ([table, dates]) =>
            `${name} reads ${table} from ${dates.from ?? 'its first day'} to ${dates.to ?? 'its last'}`,
        ),
        HOW,
      ).toEqual([]);
    });
  }

  it('but the open-ended ones, which do read to the lake’s last day', () => {
    for (const name of Object.keys(OPEN_ENDED)) {
      const read = [...lakeDatesRead(loadQuery(name), values).values()];
      expect(
        read.map((dates) => dates.to),
        `${name} is listed in OPEN_ENDED, yet bounded: remove it`,
      ).toContain(undefined);
    }
  });
});
