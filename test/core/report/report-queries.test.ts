/**
 * The queries a report runs are the list REPORT_QUERIES, from which the report's query count
 * follows (review R-CONTRIB M1: a section's new query left a hand-kept 16, and a fake engine that
 * did not say where its rows go, for 94 failures in 30 files).
 */
import { describe, expect, it } from 'vitest';
import { buildReportModel, REPORT_QUERY_COUNT } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { REPORT_QUERIES } from '../../../functions/core/report/report-queries.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { QUERY_NAMES } from '../../../functions/queries/catalog.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));

describe("the report's queries", () => {
  it('are the ones REPORT_QUERIES lists, each run once per entry, and their count its length', async () => {
    const engine = new FakeEngine();
    await buildReportModel(engine, { instance: 'acme', run });
    expect(
      engine.calls.map((c) => c.name).sort(),
      "the queries buildReportModel runs against REPORT_QUERIES: list a section's query in functions/core/report/report-queries.ts",
    ).toEqual([...REPORT_QUERIES].sort());
    expect(REPORT_QUERY_COUNT).toBe(REPORT_QUERIES.length);
    for (const name of REPORT_QUERIES) expect(QUERY_NAMES, `${name} is a catalog query`).toContain(name);
  });

  it('each have rows in the fake engine, whose refusal names the file to add them to', async () => {
    for (const name of REPORT_QUERIES) expect(Object.keys(CONTRACT_ROWS)).toContain(name);
    const { popular_pages: _left, ...rows } = CONTRACT_ROWS;
    await expect(buildReportModel(new FakeEngine(rows), { instance: 'acme', run })).rejects.toThrow(
      'FakeEngine has no rows for popular_pages: add its contract rows to CONTRACT_ROWS in test/core/report/fake-engine.ts',
    );
  });
});
