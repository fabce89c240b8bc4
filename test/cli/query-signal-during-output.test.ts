import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { runNodeChild } from '../support/node-child.ts';

/**
 * A signal that lands once DuckDB has answered, while the rows are converted, formatted and
 * written (seconds for millions of rows, all synchronous): Node hears it only when the event loop
 * next polls. The command used to stop listening before that, so the signal was dropped: exit 0,
 * no line, as if nobody had pressed Ctrl-C. It must end by the signal, saying the output is whole.
 */
const SIGNAL_ON_OUTPUT = pathToFileURL(resolve('test/support/signal-on-output.mjs')).href;
const ROWS = 20_000;

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-signal-during-output-'));
  await writeFixtureLake(lake, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
});
afterAll(() => rm(lake, { recursive: true, force: true }));

describe('query on DuckDB, a signal while the output is written', () => {
  it('writes every row, says the output is complete, and ends by SIGTERM (143)', async () => {
    const { exit, out, err } = await runNodeChild(
      [
        '--import',
        SIGNAL_ON_OUTPUT,
        resolve('bin/domo-activity-lake.js'),
        'query',
        '--sql',
        `SELECT range AS n FROM range(${ROWS})`,
        '--format',
        'csv',
        '--lake',
        lake,
      ],
      { ...process.env, SIGNAL_ON_OUTPUT: 'SIGTERM' },
    );
    expect(exit, err).toEqual({ code: null, signal: 'SIGTERM' });
    expect(err).toMatch(
      /^SIGTERM: stopping your SQL unless DuckDB has answered \(SIGTERM again quits at once\)\ninterrupted \(SIGTERM\) once DuckDB had answered: the output is complete\n$/,
    );
    const lines = out.split('\r\n');
    expect(lines).toHaveLength(ROWS + 2);
    expect(lines.at(-2)).toBe(String(ROWS - 1));
  });
});
