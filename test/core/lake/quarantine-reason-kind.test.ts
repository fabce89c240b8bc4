import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { reasonKind } from '../../../functions/core/lake/quarantine-reason-kind.ts';

const OUT_OF_WINDOW =
  'time 2026-11-20 15:00:00.000 UTC is outside the requested range 2026-11-20 10:00:00.000..2026-11-20 11:00:00.000 UTC; if many entries say this, check the time zone setting';

describe('quarantine reasons grouped by their wording', () => {
  it('replaces times, quoted values and long numbers, and keeps a range readable', () => {
    expect(reasonKind(OUT_OF_WINDOW)).toBe(
      'time <time> UTC is outside the requested range <time>..<time> UTC; if many entries say this, check the time zone setting',
    );
    expect(reasonKind('field "userId" is "123" at 1764590400000')).toBe('field "…" is "…" at N');
  });
});

/**
 * The SQL of the Quarantine runbook's first step (docs/operations.md), which groups the quarantine
 * table's reasons: each names its entry's own times, so grouped as they are nearly every group was
 * one entry (review R-SRE M3).
 */
function runbookSql(): string {
  const operations = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
  const section = operations.slice(operations.indexOf('### `<instance>-Quarantine`'));
  const sql = /<<'SQL'\n([\s\S]*?)\n\s*SQL\n/.exec(section)?.[1];
  if (!sql) throw new Error('no SQL heredoc in the Quarantine runbook');
  return sql;
}

const REASONS = [
  OUT_OF_WINDOW,
  OUT_OF_WINDOW.replaceAll('2026-11-20', '2026-11-21').replace('15:00', '16:13'),
  'field "userId" is "123" at 1764590400000',
  'field "objectId" is "abc" at 1764590499999',
];

describe("the Quarantine runbook's query of the reasons", () => {
  it('groups them by the wording verify shows, as Athena reads it (every match replaced)', () => {
    const replaces = [...runbookSql().matchAll(/'((?:[^']|'')*)', '((?:[^']|'')*)'\)/g)].map(
      ([, pattern, replacement]) => [new RegExp(pattern as string, 'g'), replacement as string] as const,
    );
    expect(replaces).toHaveLength(3);
    for (const reason of REASONS) {
      const kind = replaces.reduce(
        (text, [pattern, replacement]) => text.replace(pattern, replacement),
        reason,
      );
      expect(kind).toBe(reasonKind(reason));
    }
  });

  it('runs on DuckDB with the fourth argument the runbook says a lake on disk needs, to the same groups', async () => {
    const sql = runbookSql()
      .replace(/('[^']*'), ('[^']*')\)/g, "$1, $2, 'g')")
      .replace('<instance>', 'acme')
      .replace('<first day>', '2026-11-01');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      const rows = REASONS.map((reason, i) => `('acme', '2026-11-2${i}', '${reason.replaceAll("'", "''")}')`);
      await connection.run(
        `CREATE TABLE quarantine AS SELECT * FROM (VALUES ${rows.join(', ')}) t(instance, dt, reason)`,
      );
      const result = await connection.runAndReadAll(sql);
      const groups = result.getRowObjects().map((row) => [row.kind, Number(row.n), row.first_day]);
      expect(groups).toEqual(
        expect.arrayContaining([
          [reasonKind(REASONS[0] as string), 2, '2026-11-20'],
          [reasonKind(REASONS[2] as string), 2, '2026-11-22'],
        ]),
      );
      expect(groups).toHaveLength(2);
    } finally {
      connection.closeSync();
    }
  });
});
