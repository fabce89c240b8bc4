import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNamedQueries } from '../../infra/catalog/named-queries.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'named-queries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadNamedQueries', () => {
  it('reads every .sql file in name order, describing each by its leading comment lines only', () => {
    writeFileSync(
      path.join(dir, 'b_second.sql'),
      '-- Second query.\n-- Parameters: none.\nSELECT 1\n-- trailing note\n',
    );
    writeFileSync(path.join(dir, 'a_first.sql'), 'SELECT 2\n');
    writeFileSync(path.join(dir, 'notes.md'), '# not a query');
    expect(loadNamedQueries(dir)).toEqual([
      { name: 'a_first', description: '', sql: 'SELECT 2' },
      {
        name: 'b_second',
        description: 'Second query. Parameters: none.',
        sql: '-- Second query.\n-- Parameters: none.\nSELECT 1\n-- trailing note',
      },
    ]);
  });

  it('ships a latest-events query that filters on the dt partition with a parameter', () => {
    const latest = loadNamedQueries().find((q) => q.name === 'latest_events');
    expect(latest?.description).toMatch(/^Latest events/);
    expect(latest?.sql).toMatch(/FROM activity_log\s+WHERE dt >= \?/);
  });
});
