/**
 * docs/queries.md's recipe for every event of one address (incident-responder review, F-BREACH
 * M2): run as written (its shell quoting undone) on DuckDB over a fixture lake, it finds the
 * address with a port, in brackets, anywhere in a forwarded-for list, and not an address that holds
 * its digits (`ip_address = …` missed the first, `LIKE` found the last).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const docs = readFileSync(new URL('../../docs/queries.md', import.meta.url), 'utf8');
const recipe = docs.slice(docs.indexOf('**Every event of one address, any user.**'));
/** The SQL of the recipe's command, as the shell hands it over (inside double quotes). */
const sql = (/--sql "(SELECT [^"]*)"/.exec(recipe)?.[1] ?? '')
  .replaceAll('\\\\', '\\')
  .replaceAll('\\$', '$');

const spellings: Record<string, boolean> = {
  '154.28.124.189': true,
  '154.28.124.189:61000': true,
  '[154.28.124.189]:443': true,
  '10.0.0.1, 154.28.124.189': true,
  '154.28.124.189,104.16.0.1': true,
  '::ffff:154.28.124.189': true,
  '154.28.124.18': false,
  '154.28.124.1890': false,
  '2154.28.124.189': false,
  '154.28.124.189.5': false,
  '10.0.0.1, 154.28.124.19': false,
};

let lake: FixtureEngine;
beforeAll(async () => {
  const events = Object.keys(spellings).map((ip, i) =>
    event(`2026-11-24 04:${String(10 + i).padStart(2, '0')}:00`, { ip_address: ip }),
  );
  lake = await openFixtureEngine('address-recipe-', { events, instance: 'main' });
});
afterAll(async () => {
  await lake?.close();
});

describe("docs/queries.md's recipe for an address's events", () => {
  it('finds the address in every spelling of it as an entry, and no other address', async () => {
    expect(sql).toContain("regexp_like(ip_address, '(^|[^0-9.])154\\.28\\.124\\.189($|[^0-9.])')");
    const rows = (await lake.engine.runSql(sql, [], 'recipe')).rows;
    expect(rows.map((r) => r.ip_address)).toEqual(
      Object.entries(spellings)
        .filter(([, found]) => found)
        .map(([ip]) => ip),
    );
  });
});
