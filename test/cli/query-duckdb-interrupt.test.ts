import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterruptName, InterruptSource } from '../../functions/cli/interrupts.ts';
import { main } from '../../functions/cli/main.ts';
import { event, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';

/**
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP during `query` or `report` on DuckDB: the statement running is
 * interrupted, the engine closed (its temp directory removed), and the command ends with the
 * signal's status after a line saying what was stopped, as on Athena. It used to die at once,
 * leaving the temp directory to the next run's sweep.
 */
// A join that would run for hours unless interrupted; `endless_join` marks it (see the preload).
const ENDLESS_SQL =
  'SELECT count(*) AS endless_join FROM range(1000000000) a, range(1000000000) b WHERE a.range + b.range = -1';
const MARK_STATEMENT = pathToFileURL(resolve('test/support/mark-duckdb-statement.mjs')).href;
const DIR_PREFIX = 'domo-activity-lake-duckdb-';

let lake: string;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'query-duckdb-interrupt-'));
  await writeFixtureLake(lake, { events: [event('2026-10-05 10:05:00', { user_name: 'Ada' })] });
});
afterAll(() => rm(lake, { recursive: true, force: true }));

const run = async (argv: readonly string[], signals: ReturnType<typeof fakeSignals>) => {
  const { io, stdout, stderr } = captureIo();
  const status = await main([...argv, '--lake', lake], { ...io, interrupts: signals.source });
  return { status, stdout: stdout(), stderr: stderr() };
};

describe('query on DuckDB interrupted', () => {
  it('stops your SQL while it runs, says so, and exits 130', async () => {
    // Not a timing assertion: the SQL runs for hours, so whenever the signal lands it stops it.
    const signals = fakeSignals((send) => setTimeout(() => send('SIGINT'), 300));
    const { status, stdout, stderr } = await run(['query', '--sql', ENDLESS_SQL], signals);
    expect(status, stderr).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /SIGINT: stopping your SQL unless DuckDB has answered \(Ctrl-C again quits at once\)\ninterrupted \(SIGINT\): DuckDB stopped your SQL; nothing was printed\n$/,
    );
    expect(stderr).not.toContain('error:');
    expect(signals.listening()).toBe(false);
  });

  it('names the catalog query a SIGTERM stopped before it ran, and exits 143', async () => {
    const signals = fakeSignals((send) => send('SIGTERM'));
    const { status, stdout, stderr } = await run(['query', 'period_totals'], signals);
    expect(status, stderr).toBe(143);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'SIGTERM: stopping the query period_totals unless DuckDB has answered (SIGTERM again quits at once)\n' +
        'interrupted (SIGTERM): DuckDB stopped the query period_totals; nothing was printed\n',
    );
  });

  it('quits at once on a second signal, saying so', async () => {
    const signals = fakeSignals((send) => {
      send('SIGINT');
      send('SIGINT');
    });
    const { status, stderr } = await run(['query', 'period_totals'], signals);
    expect(signals.quits).toEqual(['SIGINT']);
    expect(stderr).toContain('quitting now\n');
    // The stand-in does not end the process: the command goes on to its end.
    expect(status).toBe(130);
  });

  it('removes the temp directory on a second Ctrl-C before it quits', async () => {
    let listener: ((name: InterruptName) => void) | undefined;
    let leftAtQuit: boolean | undefined;
    let dir: string | undefined;
    const source: InterruptSource = {
      listen(on) {
        listener = on;
        return () => {
          listener = undefined;
        };
      },
      // Where the process would end by the signal, running no exit handler.
      quit: () => {
        leftAtQuit = dir !== undefined && existsSync(dir);
      },
    };
    const { io, stderr } = captureIo();
    const argv = ['query', '--sql', ENDLESS_SQL, '--lake', lake];
    const status = main(argv, { ...io, interrupts: source });
    // Both signals once the engine has made its temp directory (named with this process's id).
    while (dir === undefined) {
      await new Promise((r) => setTimeout(r, 20));
      const name = (await readdir(tmpdir())).find(
        (entry) => entry.startsWith(DIR_PREFIX) && entry.includes(`-${process.pid}-`),
      );
      dir = name === undefined ? undefined : join(tmpdir(), name);
    }
    listener?.('SIGINT');
    listener?.('SIGINT');
    expect(leftAtQuit).toBe(false);
    expect(await status, stderr()).toBe(130);
    expect(stderr()).toContain('quitting now\n');
  });

  it('prints the rows DuckDB answered before the signal, and still exits by it', async () => {
    const signals = fakeSignals();
    const { io, stdout, stderr } = captureIo();
    const write = io.stdout.write.bind(io.stdout);
    io.stdout.write = ((...args: Parameters<typeof write>) => {
      signals.send('SIGHUP');
      return write(...args);
    }) as typeof io.stdout.write;
    const argv = ['query', '--sql', 'SELECT 4 AS n', '--format', 'csv', '--lake', lake];
    const status = await main(argv, { ...io, interrupts: signals.source });
    expect(status, stderr()).toBe(129);
    expect(stdout()).toBe('n\r\n4\r\n');
    // A second hang-up is ignored (a closed terminal sends two), so the line names SIGTERM instead.
    expect(stderr()).toMatch(
      /^SIGHUP: stopping your SQL unless DuckDB has answered \(SIGTERM quits at once\)\ninterrupted \(SIGHUP\) once DuckDB had answered: the output is complete\n$/,
    );
  });
});

describe('report on DuckDB interrupted', () => {
  it('stops its queries, writes no report, leaves no --out, and exits 130', async () => {
    const out = join(lake, '..', `${lake.split(/[/\\]/).pop()}-out`);
    const signals = fakeSignals((send) => send('SIGINT'));
    const { status, stdout, stderr } = await run(['report', '--week', '2026-W41', '--out', out], signals);
    expect(status, stderr).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "SIGINT: stopping the report's queries unless DuckDB has answered (Ctrl-C again quits at once)\n" +
        "interrupted (SIGINT): DuckDB stopped the report's queries; no report was written\n",
    );
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('query on DuckDB, a real Ctrl-C', () => {
  it('interrupts the running query, removes its temp directory, and ends by SIGINT (130)', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'query-duckdb-interrupt-tmp-'));
    try {
      const child = spawn(
        process.execPath,
        [
          '--import',
          MARK_STATEMENT,
          resolve('bin/domo-activity-lake.js'),
          'query',
          '--sql',
          ENDLESS_SQL,
          '--lake',
          lake,
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, TMPDIR: temp, DUCKDB_STATEMENT_MARK: 'endless_join' },
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
      });
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
        child.once('exit', (code, signal) => done({ code, signal })),
      );
      await new Promise<void>((running) => {
        child.stderr.on('data', (chunk) => {
          err += String(chunk);
          if (err.includes('endless_join\n')) running();
        });
      });
      // The engine's own temp directory, there while the query runs.
      expect((await readdir(temp)).filter((name) => name.startsWith(DIR_PREFIX))).toHaveLength(1);
      child.kill('SIGINT');
      // Died of the signal it caught, as a shell sees it: $? 130.
      expect(await exit, err).toEqual({ code: null, signal: 'SIGINT' });
      expect(out).toBe('');
      expect(err).toContain('interrupted (SIGINT): DuckDB stopped your SQL; nothing was printed\n');
      expect(await readdir(temp)).toEqual([]);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  });
});
