/**
 * Athena (Trino) does not materialise a WITH query: each reference to it is planned and run again,
 * down to the table scan. It bills, and the workgroup's BytesScannedCutoffPerQuery cancels, on the
 * bytes a query scans, and gzip JSON has no column pruning: a query that reads the lake twice over
 * one range costs twice. DuckDB computes each WITH query once, so no run shows it; the text does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import { readCounts, tableReads, unseenMentions } from './support/table-reads.ts';

/**
 * Queries that read one table over two ranges: login_history reads the period's sign-ins and the
 * history's apart (their ranges meet on from_dt only), each in a WHERE clause, as Athena takes
 * parameters (queries.md). Any other query must read each table once.
 */
const TWO_RANGES = ['login_history'];

const beforeOneScan = (name: string) =>
  readFileSync(join(import.meta.dirname, 'support', 'before-one-scan', `${name}.sql`), 'utf8');

describe('every catalog query reads each lake table once, WITH queries expanded', () => {
  for (const name of QUERY_NAMES) {
    it(name, () => {
      const { sql } = loadQuery(name);
      expect(unseenMentions(sql), `${name}: a lake table the count does not see read`).toEqual([]);
      const reads = tableReads(sql);
      expect(reads.length, `${name} reads no lake table`).toBeGreaterThan(0);
      const repeated = [...readCounts(sql)].filter(([, count]) => count > 1);
      expect(
        repeated.map(([read, count]) => `${name} reads ${read} ${count} times`),
        `${name}: one read of each table`,
      ).toEqual([]);
      const tables = new Set(reads.map((r) => r.table));
      expect(reads.length > tables.size).toBe(TWO_RANGES.includes(name));
    });
  }
});

describe('the read count', () => {
  it('counts each expanded reference: the versions before the one-pass rewrite fail', () => {
    expect(Object.fromEntries(readCounts(beforeOneScan('suspicious_logins')))).toEqual({
      'activity_log over history_from_dt..to_dt': 19,
    });
    expect(Object.fromEntries(readCounts(beforeOneScan('daily_activity')))).toEqual({
      'activity_log over from_dt..to_dt': 2,
      'coverage over from_dt..to_dt': 2,
    });
    expect(Object.fromEntries(readCounts(beforeOneScan('data_health')))).toEqual({
      'activity_log over from_dt..to_dt': 2,
      'coverage over from_dt..to_dt': 3,
    });
  });

  it('names the mentions of a lake table it does not count as a read', () => {
    const unseen = (sql: string) => unseenMentions(sql).map((m) => m.split(' ')[0]);
    expect(unseen('SELECT 1 FROM activity_log a JOIN coverage c ON true CROSS JOIN quarantine')).toEqual([]);
    expect(unseen('SELECT 1 FROM a, quarantine WHERE true')).toEqual([]);
    expect(unseen('SELECT 1 FROM a JOIN b ON true, quarantine')).toEqual(['quarantine']);
    expect(unseen('SELECT 1 FROM lake.activity_log')).toEqual(['activity_log']);
    expect(unseen('SELECT 1 FROM a UNION ALL TABLE coverage')).toEqual(['coverage']);
    expect(unseen('SELECT 1 FROM (activity_log a JOIN activity_log b ON true)')).toEqual(['activity_log']);
    expect(unseen('SELECT x.quarantine FROM x')).toEqual(['quarantine']);
  });

  it('reads no comment nor literal, follows FROM lists, and lets a WITH query shadow a table', () => {
    const sql = [
      'WITH a AS (SELECT * FROM activity_log WHERE dt BETWEEN ? /* from_dt */ AND ? /* to_dt */),',
      "b AS (SELECT 'FROM activity_log' AS t FROM a -- JOIN activity_log\n),",
      'coverage (x) AS (SELECT 1 FROM a /* JOIN a */),',
      'c AS (SELECT * FROM b, coverage, quarantine q WHERE true)',
      'SELECT * FROM c JOIN a ON true CROSS JOIN (SELECT 1 FROM unnest(x)) u',
    ].join('\n');
    expect(Object.fromEntries(readCounts(sql))).toEqual({
      'activity_log over from_dt..to_dt': 3,
      'quarantine over every partition': 1,
    });
  });
});
