import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS } from '../../functions/core/lake/event-record.ts';
import { QUARANTINE_COLUMNS } from '../../functions/core/lake/quarantine-record.ts';

const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');

/** The column names the first cell of each row of a section's table names, in backticks. */
function documented(heading: string): string[] {
  const start = docs.indexOf(`### ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const section = docs.slice(start, docs.indexOf('\n### ', start + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? ''));
}

/**
 * What to edit in docs/queries.md when a table's rows there are not its columns: the rows to add
 * (each after its column before it), those to take out, or the order to follow.
 */
function editToMake(heading: string, rows: string[], columns: string[], source: string): string {
  const table = `docs/queries.md, the table under "### ${heading}"`;
  const missing = columns.filter((c) => !rows.includes(c));
  const extra = rows.filter((r) => !columns.includes(r));
  const edits = [
    ...missing.map((c) => {
      const before = columns[columns.indexOf(c) - 1];
      return `add the row \`| \`${c}\` | <type> | <what it holds> |\`${before ? ` after the row of ${before}` : ''}`;
    }),
    ...extra.map((r) => `remove the row of ${r} (no column of ${source} by that name)`),
  ];
  if (edits.length === 0) edits.push(`put its rows in the order of ${source}`);
  return `${table}: ${edits.join('; ')}`;
}

// The column reference says what every column the writer writes holds, and no other: a column
// added to the writer's schema must be described for investigators before it ships.
describe('docs/queries.md describes every column of the tables an investigation reads', () => {
  it("activity_log: the writer's columns and the two partitions, in its order", () => {
    const columns = ['instance', 'dt', ...EVENT_COLUMNS.map((c) => c.name)];
    const rows = documented('The activity_log table');
    const source = 'EVENT_COLUMNS (functions/core/lake/event-record.ts)';
    expect(rows, editToMake('The activity_log table', rows, columns, source)).toEqual(columns);
  });

  it('quarantine: likewise', () => {
    const columns = ['instance', 'dt', ...QUARANTINE_COLUMNS.map((c) => c.name)];
    const rows = documented('The quarantine table');
    const source = 'QUARANTINE_COLUMNS (functions/core/lake/quarantine-record.ts)';
    expect(rows, editToMake('The quarantine table', rows, columns, source)).toEqual(columns);
  });

  it('says which row to add, and where, when a column has none', () => {
    expect(editToMake('The activity_log table', ['dt', 'a'], ['dt', 'a', 'b'], 'EVENT_COLUMNS')).toBe(
      'docs/queries.md, the table under "### The activity_log table": add the row `| `b` | <type> | <what it holds> |` after the row of a',
    );
    expect(editToMake('T', ['b', 'a', 'gone'], ['a', 'b'], 'X')).toBe(
      'docs/queries.md, the table under "### T": remove the row of gone (no column of X by that name)',
    );
    expect(editToMake('T', ['b', 'a'], ['a', 'b'], 'X')).toBe(
      'docs/queries.md, the table under "### T": put its rows in the order of X',
    );
  });
});
