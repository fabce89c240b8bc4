/**
 * The known answers' helpers read Domo's action and object types in upper case as the catalog's
 * SQL `upper()` does, character by character (functions/core/sql-upper.ts), not by JavaScript's
 * full rules: `acceß_token` is no `ACCESS_TOKEN` to admin_changes or data_movement, and the
 * independent side of their known-answer tests must not find one where the SQL finds none.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { adminChanges, dataMovement } from './support/expected-investigation.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const period = {
  instance: 'default',
  fromMs: Date.parse('2026-11-16T00:00:00Z'),
  toMs: Date.parse('2026-11-23T00:00:00Z'),
};
const change = (time: string, action_type: string, object_type: string, object_id: string) =>
  event(`2026-11-17 ${time}`, { action_type, object_type, object_id });

const events: EventRecord[] = [
  // Upper case by JavaScript's full rules only: `ß` is `SS` there, `ﬆ` is `ST`.
  change('10:00:00', 'CREATED', 'acceß_token', 't1'),
  change('10:01:00', 'UPDATED', 'user_ﬆate', 'u1'),
  // Upper case by both: letter case aside, and `ſ` (long s) is `S` character by character too.
  change('10:02:00', 'created', 'Access_Token', 't2'),
  change('10:03:00', 'UPDATED', 'uſer', 'u2'),
];

const lake = useFixtureEngine('expected-letter-case-', { events });

const run = async (name: string, extra: Record<string, string> = {}) =>
  (await lake.engine.run(name, { ...standardParams(period), ...extra })).rows;

describe("the known answers' helpers read letter case as the SQL does", () => {
  it('admin_changes: a type upper only by the full rules is no access object', async () => {
    const rows = await run('admin_changes', { max_rows: '1000' });
    expect(rows.map((r) => r.object_id)).toEqual(['t2', 'u2']);
    expect(rows).toEqual(adminChanges(events, period, 1000));
  });

  it('data_movement: acceß_token created is no token created', async () => {
    const rows = await run('data_movement');
    expect(rows.map((r) => [r.kind, r.events])).toEqual([['token_created', 1]]);
    expect(rows).toEqual(dataMovement(events, period));
  });

  it("compare Domo's types through sqlUpper, never toUpperCase", () => {
    for (const helper of ['expected-answers.ts', 'expected-investigation.ts']) {
      const text = readFileSync(path.join(import.meta.dirname, 'support', helper), 'utf8');
      expect(text.match(/\b(?:action|object)_type\b[^;\n]*\.toUpperCase\(/g) ?? [], helper).toEqual([]);
    }
  });
});
