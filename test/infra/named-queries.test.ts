import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeholderNames } from '../../functions/core/queries/query-definition.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { loadNamedQueries } from '../../infra/catalog/named-queries.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'named-queries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadNamedQueries', () => {
  it("turns every query of the shared catalog into a named query with its SQL, but the header's params line", () => {
    const named = loadNamedQueries();
    expect(named.map((q) => q.name)).toEqual([...QUERY_NAMES]);
    for (const query of named) {
      const withoutHeaderLine = (sql: string) => sql.replace(/^-- (params|values, in the order).*$/m, '');
      expect(withoutHeaderLine(query.sql)).toBe(withoutHeaderLine(loadQuery(query.name).sql));
      expect(query.description.length).toBeGreaterThan(20);
      expect(query.description.length).toBeLessThanOrEqual(1024);
    }
  });

  it('tells console users the order of the ? values', () => {
    const latest = loadNamedQueries().find((q) => q.name === 'latest_events');
    expect(latest?.description).toMatch(/^the 200 most recent .* Parameters, in order .*: from_dt\.$/);
    expect(latest?.sql).toMatch(/FROM activity_log\s+WHERE dt >= \? \/\* from_dt \*\//);
  });

  it("states in the saved SQL's header the parameter each ? takes, in the order the console asks", () => {
    // Read from the saved text itself: the header a console user follows must match the prompts.
    for (const { name, sql } of loadNamedQueries()) {
      const line = /^-- values, in the order the console asks for them: (.*)$/m.exec(sql)?.[1];
      expect({ name, order: line?.split(', ') }).toEqual({ name, order: placeholderNames(sql) });
      expect({ name, paramsLine: /^-- params:/m.test(sql) }).toEqual({ name, paramsLine: false });
      expect({ name, marks: sql.split('?').length - 1 }).toEqual({
        name,
        marks: placeholderNames(sql).length,
      });
    }
    const trending = loadNamedQueries().find((q) => q.name === 'trending_cards');
    expect(trending?.sql).toContain(
      '-- values, in the order the console asks for them: instance, prev_from_dt, to_dt, prev_from_ts, to_ts, from_ts, from_ts, limit\n',
    );
  });

  it('warns in the description of a query with a ? outside WHERE, naming its parameters', () => {
    const named = loadNamedQueries();
    const warned = named.filter((q) => q.description.includes('outside WHERE')).map((q) => q.name);
    expect(
      warned,
      'the saved queries whose description warns of a ? outside WHERE: the queries in ' +
        'PARAMETERS_OUTSIDE_WHERE (test/queries/sql-grammar.test.ts)',
    ).toEqual([
      'address_activity',
      'admin_changes',
      'bulk_data_movement',
      'daily_activity',
      'data_health',
      'dataset_deletions',
      'most_active_users',
      'suspicious_logins',
      'trending_cards',
      'user_activity',
      'user_addresses',
      'user_unusual_activity',
    ]);
    expect(named.find((q) => q.name === 'most_active_users')?.description).toMatch(
      /\. The \? of time_zone are outside WHERE \(AWS: unsupported; untested\): if the console refuses the query, type their quoted values instead\.$/,
    );
  });

  it('reads only .sql files, in name order, and rejects a file the catalog would reject', () => {
    writeFileSync(
      path.join(dir, 'b_second.sql'),
      '-- b_second: the second query.\n-- params: from_dt\nSELECT 1 FROM t WHERE a = ? /* from_dt */\n',
    );
    writeFileSync(path.join(dir, 'a_first.sql'), '-- a_first: the first query.\n-- params:\nSELECT 1\n');
    writeFileSync(path.join(dir, 'notes.md'), '# not a query');
    expect(loadNamedQueries(dir)).toEqual([
      {
        name: 'a_first',
        description: 'the first query.',
        sql: '-- a_first: the first query.\n-- values, in the order the console asks for them: none\nSELECT 1',
      },
      {
        name: 'b_second',
        description: "the second query. Parameters, in order (each quoted, e.g. '2026-11-20'): from_dt.",
        sql: '-- b_second: the second query.\n-- values, in the order the console asks for them: from_dt\nSELECT 1 FROM t WHERE a = ? /* from_dt */',
      },
    ]);
    writeFileSync(path.join(dir, 'c_bad.sql'), '-- c_bad: no params line.\nSELECT ?\n');
    expect(() => loadNamedQueries(dir)).toThrow(/query c_bad\.sql has no "-- params:" header line/);
  });

  it('fails instead of cutting a description over the 1024 characters Athena allows', () => {
    const longDir = mkdtempSync(path.join(tmpdir(), 'named-queries-long-'));
    try {
      const header = `-- d_long: ${'counts things. '.repeat(66)}`;
      writeFileSync(
        path.join(longDir, 'd_long.sql'),
        `${header}\n-- params: from_dt\nSELECT 1 FROM t WHERE a = ? /* from_dt */\n`,
      );
      expect(() => loadNamedQueries(longDir)).toThrow(
        /query d_long\.sql: its description .* is 1053 characters, over the 1024 Athena allows; shorten the header comment by 29 characters/,
      );
    } finally {
      rmSync(longDir, { recursive: true, force: true });
    }
  });
});
