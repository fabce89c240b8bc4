/**
 * The count of a history's covered hours from the coverage manifests alone (hours-held.ts), which
 * `query suspicious_logins` asks on every Athena run without rows (review R-Q3 M1): it must count
 * as data_health does, on DuckDB and in Athena's grammar, with its `?` where Athena takes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedHours, HOURS_HELD_SQL, hoursHeld } from '../../../functions/core/lake/hours-held.ts';
import { type FixtureEngine, openFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { manifest } from '../../queries/support/lake-fixture.ts';
import { trinoErrors, trinoParametersOutsideWhere } from '../../queries/support/trino-verdicts.ts';

let lake: FixtureEngine;
beforeAll(async () => {
  // 2026-11-09 whole and three hours of 2026-11-10.
  lake = await openFixtureEngine('hours-held-', {
    coverage: [
      ...Array.from({ length: 24 }, (_, h) => manifest(`2026-11-09 ${String(h).padStart(2, '0')}:00`)),
      manifest('2026-11-10 05:00'),
      manifest('2026-11-10 06:00'),
      manifest('2026-11-10 07:00'),
    ],
  });
});
afterAll(async () => {
  await lake?.close();
});

const span = (from: string, to: string) => ({
  instance: 'default',
  from_dt: from.slice(0, 10),
  to_dt: to.slice(0, 10),
  from_ts: from,
  to_ts: to,
});

describe('hoursHeld', () => {
  it('counts the manifests of the span as data_health does, an hour cut by a bound included', async () => {
    for (const [from, to] of [
      ['2026-11-01 00:00:00.000', '2026-11-11 00:00:00.000'],
      ['2026-11-09 12:30:00.000', '2026-11-10 06:00:00.000'],
      ['2026-10-01 00:00:00.000', '2026-11-01 00:00:00.000'],
    ] as const) {
      const held = await hoursHeld(lake.engine, span(from, to), {});
      const [health] = (await lake.engine.run('data_health', span(from, to))).rows;
      expect(held).toEqual({
        covered: Number(health?.covered_hours),
        expected: Number(health?.expected_hours),
      });
    }
  });

  it('expects the hours a span overlaps', () => {
    expect(expectedHours('2026-11-09 12:30:00.000', '2026-11-10 06:00:00.000')).toBe(18);
    expect(expectedHours('2026-11-09 12:00:00.000', '2026-11-09 12:00:00.000')).toBe(0);
  });

  it("parses with Trino's grammar, its ? in WHERE clauses only", async () => {
    expect(await trinoErrors(HOURS_HELD_SQL)).toEqual([]);
    expect(await trinoParametersOutsideWhere(HOURS_HELD_SQL)).toBe(0);
  });
});
