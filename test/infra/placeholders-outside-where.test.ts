import { describe, expect, it } from 'vitest';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import {
  consoleRefusalNote,
  parametersOutsideWhere,
  placeholdersOutsideWhere,
} from '../../infra/catalog/placeholders-outside-where.ts';
import { trinoParametersOutsideWhere } from '../queries/support/trino-verdicts.ts';

describe('parametersOutsideWhere', () => {
  it('names the ? outside a WHERE clause, once each, in text order', () => {
    const sql = [
      'SELECT CAST(? /* zone */ AS varchar) AS z, count(*) FILTER (WHERE t >= ? /* from_ts */) AS n',
      'FROM t JOIN u ON u.id = ? /* joined */',
      'WHERE a = CAST(? /* a */ AS int) AND b IN (SELECT b FROM v WHERE c = ? /* c */)',
      'AND d = (SELECT max(d) FROM w) AND e = ? /* e */ -- why? a mark in a comment is none',
      'GROUP BY 1 ORDER BY CAST(? /* zone */ AS varchar) LIMIT ? /* limit */',
    ].join('\n');
    expect(parametersOutsideWhere(sql)).toEqual(['zone', 'from_ts', 'joined', 'limit']);
  });

  it('gives a scalar subquery in a SELECT list its own WHERE', () => {
    expect(parametersOutsideWhere('SELECT (SELECT 1 FROM t WHERE a = ? /* a */) AS x FROM u')).toEqual([]);
  });

  it('finds the eight catalog queries a console may refuse, and which parameters', () => {
    const found = Object.fromEntries(
      QUERY_NAMES.map((name) => [name, parametersOutsideWhere(loadQuery(name).sql)] as const).filter(
        ([, names]) => names.length > 0,
      ),
    );
    expect(found).toEqual({
      bulk_data_movement: ['from_ts', 'to_ts'],
      daily_activity: ['time_zone', 'to_ts'],
      data_health: ['from_ts', 'to_ts'],
      most_active_users: ['time_zone'],
      suspicious_logins: ['from_ts', 'time_zone', 'history_from_ts', 'min_history_logins', 'max_speed_kmh'],
      trending_cards: ['from_ts'],
      user_activity: ['user_id', 'time_zone'],
      user_addresses: ['user_id'],
    });
  });

  it("counts, in every catalog query, the ? that Trino's grammar puts outside a WHERE", async () => {
    for (const name of QUERY_NAMES) {
      const { sql } = loadQuery(name);
      expect({ name, outside: placeholdersOutsideWhere(sql).length }).toEqual({
        name,
        outside: await trinoParametersOutsideWhere(sql),
      });
    }
  });

  it('says nothing when every ? is in WHERE', () => {
    expect(consoleRefusalNote('SELECT 1 FROM t WHERE a = ? /* a */')).toBe('');
    expect(consoleRefusalNote('SELECT ? /* zone */ FROM t')).toMatch(/The \? of zone are outside WHERE/);
  });
});
