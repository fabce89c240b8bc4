import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARK,
  type BenchResults,
  END_MARK,
  renderReadmeFigures,
  withReadmeFigures,
} from '../../bench/readme-figures.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const results = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;

describe("the README's Benchmarks table", () => {
  it('shows the figures of the committed bench/results.json, dated as they are', () => {
    // A stale table fails here: rewrite it with `node --import tsx bench/readme-figures.ts`.
    expect(withReadmeFigures(readme, results)).toBe(readme);
    const when = `${results.date.slice(0, 10)} ${results.date.slice(11, 16)} UTC`;
    expect(readme).toContain(when);
  });

  it('reads each figure from the results: pager, throttled server, CPU path and memory', () => {
    const table = renderReadmeFigures(results);
    const defaults = results.workload.rows.find((r) => r.run.endsWith('concurrency 4'));
    expect(table).toContain(`${defaults?.requests} requests vs`);
    expect(table).toContain(`${results.throttled.requests} requests`);
    const perCpuS = Math.round(results.cpuAndMemory.small.events / results.cpuAndMemory.small.cpuS);
    expect(table).toContain(perCpuS.toLocaleString('en-US'));
  });

  it("names the queried lake's span, so 1M events over 30 days is not read as 1M a day", () => {
    expect(renderReadmeFigures(results)).toContain(
      `days of a lake of 1M events over ${results.queries.lakeDays} days on DuckDB`,
    );
    const { lakeDays: _, ...sizeOnly } = results.queries;
    expect(renderReadmeFigures({ ...results, queries: sizeOnly })).toContain(
      'days of a lake of 1M events on DuckDB',
    );
  });

  it('says what was lost or duplicated when a run did not hold', () => {
    const rows = results.workload.rows.map((r, i) => (i === 1 ? { ...r, lost: 3, duplicated: 2 } : r));
    const table = renderReadmeFigures({ ...results, workload: { ...results.workload, rows } });
    expect(table).toContain('3 events lost, 2 duplicated');
    expect(table).not.toContain('nothing lost or duplicated');
  });

  it('refuses a README whose markers are gone, naming them', () => {
    expect(() => withReadmeFigures(readme.replace(END_MARK, ''), results)).toThrow(END_MARK);
    expect(() => withReadmeFigures(readme.replace(BEGIN_MARK, ''), results)).toThrow(BEGIN_MARK);
  });
});
