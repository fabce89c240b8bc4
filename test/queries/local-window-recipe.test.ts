import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { localClockConversion } from '../../functions/cli/utc-instants.ts';
import { event, writeFixtureLake } from './support/lake-fixture.ts';

/**
 * The local-window recipe of docs/queries.md ("Your own SQL", "Times are UTC") selects exactly the
 * local hour it names, where a bound written as a string with an offset is read an hour off on
 * DuckDB: the SQL is taken from the page as written.
 */
const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');
const start = docs.indexOf('**Times are UTC.**');
const command = docs.slice(docs.indexOf('query --sql "', start) + 'query --sql "'.length);
const recipe = command.slice(0, command.indexOf('"\n```'));

const leaver = { user_id: '1931247587', user_name: 'Amara Petrov', action_type: 'EXPORTED' };
let dir: string;
let engine: DuckDbQueryEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-window-'));
  // 13:00 to 14:00 in Paris on 2026-11-27 is 12:00 to 13:00 UTC.
  const events = ['11:59:59.999', '12:00:00.000', '12:59:59.999', '13:00:00.000'].map((t) =>
    event(`2026-11-27 ${t}`, leaver),
  );
  await writeFixtureLake(dir, { instance: 'main', events });
  engine = await openDuckDbEngine({ lakeDir: dir });
});
afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

it('selects the local hour, and shows its local clock', async () => {
  expect(recipe).toMatch(/^SELECT event_time,[\s\S]*ORDER BY event_time$/);
  // Its local clock is text, so --format json keeps the Z on event_time.
  expect(localClockConversion(recipe)).toBeUndefined();
  const { rows } = await engine.runSql(recipe, []);
  expect(rows.map((r) => [r.event_time, r.paris_time])).toEqual([
    ['2026-11-27 12:00:00.000', '2026-11-27 13:00:00'],
    ['2026-11-27 12:59:59.999', '2026-11-27 13:59:59.999'],
  ]);
  // What the page warns of: the offset in a string bound is dropped, the hour read as UTC.
  const naive = recipe
    .replace(
      "with_timezone(event_time, 'UTC') >= from_iso8601_timestamp('2026-11-27T13:00:00+01:00')",
      "event_time >= '2026-11-27 13:00:00+01:00'",
    )
    .replace(
      "with_timezone(event_time, 'UTC') < from_iso8601_timestamp('2026-11-27T14:00:00+01:00')",
      "event_time < '2026-11-27 14:00:00+01:00'",
    );
  expect(naive).not.toBe(recipe);
  const off = await engine.runSql(naive, []);
  expect(off.rows.map((r) => r.event_time)).toEqual(['2026-11-27 13:00:00.000']);
});
