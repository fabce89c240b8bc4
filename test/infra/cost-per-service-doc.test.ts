import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// review FINOPS (2026-12-07): the cost table had two "Dashboard" rows, the second one stale (free
// for the first 3 dashboards at any size, which review R-FINOPS H2 corrected in the first), and
// dashboard-cost-doc.test.ts, reading the first, never saw it.
const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const costNotes = OPERATIONS.slice(OPERATIONS.indexOf('## Cost notes'));

/** The rows of the first markdown table after `heading` (a line of the cost notes), as cells. */
function tableRows(heading: string): string[][] {
  const lines = costNotes.slice(costNotes.indexOf(heading)).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start + 2, end).map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

describe('the cost notes (docs/operations.md)', () => {
  it('have one row per item in each cost table', () => {
    for (const heading of ['## Cost notes', '**Worked examples**']) {
      const names = tableRows(heading).map(([name]) => name);
      expect(names.length, heading).toBeGreaterThan(5);
      expect(
        names.filter((name, i) => names.indexOf(name) !== i),
        heading,
      ).toEqual([]);
    }
  });
});
