/**
 * docs/alerts.md asks an operator to check how their Domo writes failed logins, with SQL that
 * counts the failures without an id. It read an id as none with `trim(user_id) IN ('', '0')`,
 * which DuckDB's trim (spaces only) and Athena's (all white space) answer apart for a tab, and
 * neither as the rules do (review HUNTER 6): the SQL must count the ids the alerts take as none.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { portabilityWarnings } from '../../functions/cli/portable-sql.ts';
import { namesNoUser } from '../../functions/core/no-user-id.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { login } from './support/lake-fixture.ts';

const docs = readFileSync(path.join(import.meta.dirname, '../../docs/alerts.md'), 'utf8');
const start = docs.indexOf('The share of failures without an id');
const block = /```sql\n([\s\S]*?)\n\s*```/.exec(docs.slice(start))?.[1] ?? '';
const sql = block.replace(/^ {2}/gm, '');

const ids = [null, '', '0', ' ', '\t', ' 0 ', '\t0\n', '00', '0 0', '1084327979'];
const failures = ids.map((user_id, i) =>
  login(`2026-11-20 09:${String(i).padStart(2, '0')}:00`, 'login_failed', {
    user_id,
    user_name: i % 2 === 0 ? null : 'ada',
  }),
);
const lake = useFixtureEngine('failure-id-share-', { instance: 'main', events: failures });

describe("docs/alerts.md's share of failures without an id", () => {
  it('is portable as written', () => {
    expect(sql).toContain('FROM activity_log');
    expect(portabilityWarnings(sql)).toEqual([]);
  });

  it('counts as without an id the failures the alerts take as naming no user', async () => {
    const [row] = (await lake.engine.runSql(sql, [])).rows;
    const none = failures.filter((f) => f.user_id === null || namesNoUser(f.user_id));
    expect(Number(row?.failures)).toBe(ids.length);
    expect(Number(row?.without_id)).toBe(none.length);
    expect(Number(row?.without_id_or_name)).toBe(none.filter((f) => f.user_name === null).length);
  });
});
