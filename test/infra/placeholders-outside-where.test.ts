import { readFileSync } from 'node:fs';
import path from 'node:path';
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

  it('finds the catalog queries a console may refuse, and which parameters', () => {
    const found = Object.fromEntries(
      QUERY_NAMES.map((name) => [name, parametersOutsideWhere(loadQuery(name).sql)] as const).filter(
        ([, names]) => names.length > 0,
      ),
    );
    expect(
      found,
      "the queries of docs/queries.md's table of parameters outside WHERE, and their parameters",
    ).toEqual({
      address_activity: ['time_zone'],
      admin_changes: ['time_zone'],
      bulk_data_movement: ['from_ts', 'to_ts'],
      daily_activity: ['time_zone', 'to_ts'],
      data_health: ['from_ts', 'to_ts'],
      dataset_deletions: ['time_zone'],
      most_active_users: ['time_zone'],
      suspicious_logins: ['from_ts', 'time_zone', 'history_from_ts', 'min_history_logins', 'max_speed_kmh'],
      trending_cards: ['from_ts'],
      user_activity: ['user_id', 'time_zone'],
      user_addresses: ['user_id', 'time_zone'],
      user_unusual_activity: ['from_ts', 'to_ts'],
    });
  });

  it("matches docs/queries.md's table of the queries with a ? outside WHERE, and its count", () => {
    const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');
    const [, table = ''] = docs.split('| Query | Parameters with a `?` outside WHERE |');
    const rows = table.split(/\n(?!\|)/)[0] ?? '';
    const listed: Record<string, string[]> = Object.fromEntries(
      [...rows.matchAll(/^\| (\w+) \| (.*) \|$/gm)].map((m) => [
        m[1],
        [...(m[2] ?? '').matchAll(/`(\w+)`/g)].map((n) => n[1]).sort(),
      ]),
    );
    const found: Record<string, string[]> = Object.fromEntries(
      QUERY_NAMES.map(
        (name) => [name, [...parametersOutsideWhere(loadQuery(name).sql)].sort()] as const,
      ).filter(([, names]) => names.length > 0),
    );
    expect(
      listed,
      'docs/queries.md\'s table "Parameters with a ? outside WHERE": a row per query the SQL has, ' +
        'naming each such parameter in backquotes',
    ).toEqual(found);
    const words = [
      '',
      'One',
      'Two',
      'Three',
      'Four',
      'Five',
      'Six',
      'Seven',
      'Eight',
      'Nine',
      'Ten',
      'Eleven',
      'Twelve',
    ];
    expect(docs, 'the count of them in the sentence before that table').toContain(
      `${words[Object.keys(found).length]} catalog queries have`,
    );
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
