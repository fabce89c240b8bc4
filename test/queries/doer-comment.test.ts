/**
 * The Glue comment's "done by X" (actor_id's, functions/core/lake/event-record.ts) is the doer of
 * data_movement.sql and bulk_data_movement.sql: their `actor_named` test word for word, and, run
 * on DuckDB, it finds for each X the events data_movement counts under X. The comment once said
 * `coalesce(nullif(nullif(actor_id, '0'), ''), user_id) = X`, which takes an actor of white space
 * or " 0 " for the doer and misses the user's own event.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, type EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const queries = path.join(import.meta.dirname, '../../functions/queries');
const sqlOf = (name: string) => readFileSync(path.join(queries, `${name}.sql`), 'utf8');
const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');

/** The text before ` AS actor_named` in a query: whether actor_id names a user. */
const actorNamed = (sql: string): string =>
  /^\s*(translate\(actor_id, .*\) NOT IN \('', '0'\)) AS actor_named$/m.exec(sql)?.[1] ?? 'none';
/** The doer the two queries pick: the actor when named and acting for another, else a named user. */
const DOER = 'CASE WHEN on_behalf THEN actor_id WHEN coalesce(user_named, false) THEN user_id END AS doer_id';

const comment = EVENT_COLUMNS.find((c) => c.name === 'actor_id')?.comment ?? '';
/** The comment's expression, for X: what a hunter copies. */
const doneBy = comment.slice(comment.indexOf('Done by X: ') + 'Done by X: '.length);
const OLD_DONE_BY = "coalesce(nullif(nullif(actor_id, '0'), ''), user_id) = X";

const period = {
  instance: 'default',
  fromMs: Date.parse('2026-11-16T00:00:00Z'),
  toMs: Date.parse('2026-11-23T00:00:00Z'),
};
const exported = (minute: number, fields: Partial<EventRecord>) =>
  event(`2026-11-17 10:${String(minute).padStart(2, '0')}:00`, {
    action_type: 'EXPORTED',
    object_type: 'DATA_SOURCE',
    object_id: `d${minute}`,
    ...fields,
  });
// Every way an actor names nobody, and some that name someone.
const events: EventRecord[] = [
  [{ user_id: '1', actor_id: '0' }],
  [{ user_id: '1', actor_id: '' }],
  [{ user_id: '1', actor_id: ' ' }],
  [{ user_id: '1', actor_id: ' 0 ' }],
  [{ user_id: '1', actor_id: '\t0\n' }],
  [{ user_id: '1', actor_id: null }],
  [{ user_id: '1', actor_id: '7', actor_name: 'Xena' }],
  [{ user_id: '2', actor_id: '2' }],
  [{ user_id: null, actor_id: '7', actor_name: 'Xena' }],
  [{ user_id: '0', user_name: 'Scheduler', actor_id: ' ' }],
  [{ user_id: '3', actor_id: '00' }],
].map(([fields], i) => exported(i, fields ?? {}));
const IDS = ['1', '2', '3', '7', '00'];

let lake: FixtureEngine;
let counted: Map<string, number>;
beforeAll(async () => {
  lake = await openFixtureEngine('doer-comment-', { events });
  const rows = (await lake.engine.run('data_movement', standardParams(period))).rows;
  counted = new Map(IDS.map((id) => [id, 0]));
  for (const r of rows)
    if (typeof r.user_id === 'string')
      counted.set(r.user_id, (counted.get(r.user_id) ?? 0) + Number(r.events));
});
afterAll(async () => {
  await lake?.close();
});

/** How many of the period's exports `expression` (for X) finds, for each id. */
async function found(expression: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const id of IDS) {
    const sql = `SELECT count(*) AS n FROM activity_log
      WHERE instance = 'default' AND dt BETWEEN '2026-11-16' AND '2026-11-22'
        AND upper(action_type) = 'EXPORTED' AND ${expression.replace(/= X$/, `= '${id}'`)}`;
    out.set(id, Number((await lake.engine.runSql(sql, [])).rows[0]?.n));
  }
  return out;
}

describe("the Glue comment's doer is data_movement's", () => {
  it("is the queries' actor_named test, word for word, in their doer rule", () => {
    const named = actorNamed(sqlOf('data_movement'));
    expect(actorNamed(sqlOf('bulk_data_movement'))).toBe(named);
    for (const name of ['data_movement', 'bulk_data_movement']) expect(sqlOf(name)).toContain(DOER);
    expect(doneBy).toBe(`CASE WHEN ${named} THEN actor_id ELSE user_id END = X`);
    expect(comment.length).toBeLessThanOrEqual(255);
  });

  it('finds, run on DuckDB, the events data_movement counts under each X', async () => {
    expect(Object.fromEntries(await found(doneBy))).toEqual(Object.fromEntries(counted));
    expect(counted.get('1')).toBe(6);
  });

  it('the check bites: the old comment misses the events of an actor naming nobody', async () => {
    expect((await found(OLD_DONE_BY)).get('1')).toBeLessThan(counted.get('1') ?? 0);
  });

  it("is docs/queries.md's too, where it tells who did an event", () => {
    const who = doneBy.replace(/ = X$/, '');
    // In a table, a | inside a code span is written \| (GitHub's tables split a cell on a bare one).
    expect(docs).toContain(`Who did it: \`${who.replaceAll('|', '\\|')}\``);
    expect(docs).toContain(`SELECT ${who} AS doer_id`);
    expect(docs).not.toContain('nullif(nullif(actor_id');
  });
});
