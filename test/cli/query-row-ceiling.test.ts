import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRowCeiling, rowCeilingMessage } from '../../functions/cli/query-row-ceiling.ts';
import { MAX_LISTED_ROWS } from '../../functions/core/queries/query-params.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';

/**
 * `query` holds a query's rows in memory, then writes them as one text. max_rows takes up to
 * 10,000,000, and a query of that many rows read them all and died of V8's out-of-memory error:
 * fatal, uncaught, no word of what to do (review IR, stop 81). The engine now reads no more rows
 * than the heap holds, and the command says so and how to ask for fewer.
 */
let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-row-ceiling-'));
  await writeFixtureLake(lake, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
});
afterAll(() => rm(lake, { recursive: true, force: true }));

describe("query reads no more rows than node's heap holds", () => {
  it('follows the heap, never below 1,000 rows nor above what max_rows asks', () => {
    expect(queryRowCeiling(4_144_000_000)).toBe(1_011_000);
    expect(queryRowCeiling(8_288_000_000)).toBe(2_047_000);
    expect(queryRowCeiling(64_000_000_000)).toBe(MAX_LISTED_ROWS);
    expect(queryRowCeiling(50_000_000)).toBe(1_000);
  });

  it('names the ceiling, the heap, and the ways to fewer rows or more heap', () => {
    expect(rowCeilingMessage('query user_activity', 1_011_000, 4_144_000_000)).toBe(
      "query user_activity has more than 1,011,000 rows, the most query holds in node's 4,144 MB heap (about 4,000 bytes a row): nothing past them was read, and nothing was written. Ask for fewer: a lower --param max_rows, or a shorter period (--from, --to) run once per part; for --sql a LIMIT or a narrower WHERE; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=8188 for twice as many",
    );
  });

  it('stops a query of more rows than a small heap holds with that message, not a V8 crash', async () => {
    // 3,000,000 rows of 300 characters (~1 GB held as rows) in a heap of 200 MB: read whole, the
    // process died "JavaScript heap out of memory" (exit 134, or killed by SIGABRT).
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=200',
        resolve('bin/domo-activity-lake.js'),
        'query',
        '--sql',
        "SELECT range AS n, repeat('x', 300) AS t FROM range(3000000)",
        '--format',
        'csv',
        '--lake',
        lake,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      err += String(chunk);
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('close', (code, signal) => done({ code, signal })),
    );
    expect(err).not.toMatch(/heap out of memory/i);
    expect(exit, err).toEqual({ code: 1, signal: null });
    expect(err).toMatch(
      /^error: your SQL has more than [\d,]+ rows, the most query holds in node's [\d,]+ MB heap .*nothing past them was read, and nothing was written\. Ask for fewer: /m,
    );
    expect(out).toBe('');
  }, 240_000);
});
