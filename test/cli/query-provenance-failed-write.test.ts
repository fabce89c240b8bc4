/**
 * A provenance file whose rename fails leaves no temporary file behind: `--out`'s rows always
 * removed theirs, the provenance did not, and a stray `p.json.<pid>.tmp` of query parameters
 * stayed beside the evidence. Both now write through atomic-file.ts.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeProvenance } from '../../functions/cli/query-provenance.ts';

it('leaves no temporary file when the provenance cannot be renamed into place', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'provenance-write-'));
  try {
    // A directory with a file in it: the temporary file is written beside it, the rename fails.
    const target = join(dir, 'p.json');
    mkdirSync(target);
    writeFileSync(join(target, 'kept'), '');
    const run = {
      nowMs: Date.parse('2026-11-24T15:00:00Z'),
      query: { sql: 'SELECT 1', sqlSha256: '0'.repeat(64) },
      engine: { name: 'duckdb' as const, lake: dir, version: 'v1.5.6' },
      rows: { count: 1 },
      notes: [],
      output: { format: 'csv', text: 'x\r\n1\r\n' },
    };
    expect(() => writeProvenance(target, run)).toThrow();
    expect(readdirSync(dir)).toEqual(['p.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
