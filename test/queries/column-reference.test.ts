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

// The column reference says what every column the writer writes holds, and no other: a column
// added to the writer's schema must be described for investigators before it ships.
describe('docs/queries.md describes every column of the tables an investigation reads', () => {
  it("activity_log: the writer's columns and the two partitions, in its order", () => {
    expect(documented('The activity_log table')).toEqual([
      'instance',
      'dt',
      ...EVENT_COLUMNS.map((c) => c.name),
    ]);
  });

  it('quarantine: likewise', () => {
    expect(documented('The quarantine table')).toEqual([
      'instance',
      'dt',
      ...QUARANTINE_COLUMNS.map((c) => c.name),
    ]);
  });
});
