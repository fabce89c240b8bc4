import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';

// The console asks for every parameter of a saved query: each needs a row saying what to type
// (review R-ANALYST3 L5: lookback_from_dt, lookback_from_ts and failures_before_login had none).
describe("docs/queries.md's parameter value table", () => {
  const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');
  const table = /^\| Parameter \| Value \|\n\|---\|---\|\n((?:\|.*\n)+)/m.exec(docs)?.[1] ?? '';
  const named = new Set(
    table
      .split('\n')
      .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1])),
  );

  it('has a row for every parameter a catalog query takes', () => {
    expect(named.size).toBeGreaterThan(10);
    const missing = [...new Set(QUERY_NAMES.flatMap((name) => loadQuery(name).params))].filter(
      (param) => !named.has(param),
    );
    expect(missing).toEqual([]);
  });
});
