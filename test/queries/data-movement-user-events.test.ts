/**
 * data_movement's header is its saved query's description in the Athena console. It said
 * user_events held "the user's events of every kind": a hunter read a leaver's 12 as all they did
 * that month, where it sums the user's rows alone, views and sign-ins left out, as
 * docs/queries.md says (review HUNTER 3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { loadQuery } from '../../functions/queries/catalog.ts';
import { type FixtureEngine, openFixtureEngine } from './support/fixture-engine.ts';
import { event, login } from './support/lake-fixture.ts';

const chen = { user_id: '1', user_name: 'Chen' };

let lake: FixtureEngine;
beforeAll(async () => {
  lake = await openFixtureEngine('data-movement-user-events-', {
    events: [
      login('2026-11-20 07:04:00', 'login', chen),
      event('2026-11-20 07:06:00', { ...chen, object_type: 'PAGE' }),
      event('2026-11-20 07:08:00', { ...chen, action_type: 'EXPORTED', object_type: 'PAGE' }),
      event('2026-11-20 07:09:00', { ...chen, action_type: 'SHARED', object_type: 'PAGE' }),
    ],
  });
});
afterAll(async () => {
  await lake?.close();
});

describe("data_movement's user_events", () => {
  it("sums the user's rows, none of their other events", async () => {
    const period = {
      instance: 'default',
      fromMs: Date.parse('2026-11-16T00:00:00Z'),
      toMs: Date.parse('2026-11-23T00:00:00Z'),
    };
    const { rows } = await lake.engine.run('data_movement', standardParams(period));
    expect(rows.map((r) => [r.kind, r.events, r.user_events])).toEqual([
      ['export', 1, 2],
      ['share', 1, 2],
    ]);
  });

  it('is said so in the description the console shows', () => {
    const { details } = loadQuery('data_movement');
    expect(details).toContain("user_events, the sum of the user's rows only");
    expect(details).not.toContain('of every kind');
  });
});
