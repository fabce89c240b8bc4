import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommandAnywhere, powerShellWord, shellWord } from '../../functions/cli/command-line.ts';
import { simulateCommand } from '../../functions/cli/commands/simulate.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';
import { fakeSignals } from '../support/fake-signals.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-simulate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exec = promisify(execFile);

/** The command in what `simulate` printed: the indented lines under "Pull it with:". */
const commandBlock = (printed: string): string => {
  const block = /Pull it with:\n((?: {2}.*\n)+)/.exec(printed)?.[1];
  if (block === undefined) throw new Error(`no command in: ${printed}`);
  return block;
};

/**
 * What a shell makes of the commands `simulate` printed, all in one bash run (in a full suite run
 * each bash started from the worker took ~0.6 CPU-s, see test/cli/command-line.test.ts): bash runs
 * the printed lines with a function standing in for the CLI's command ({@link cliCommandAnywhere}), which
 * prints the count of its words, the credentials it sees and the words it is given.
 */
async function shellReadAll(
  printed: readonly string[],
  env: Record<string, string> = {},
): Promise<{ env: string[]; argv: string[] }[]> {
  const cli = 'cli() { printf "%s\\0" "$#" "$DOMO_CLIENT_ID" "$DOMO_CLIENT_SECRET" "$@"; }';
  const blocks = printed.map((out) => commandBlock(out).replace(` ${cliCommandAnywhere()} `, ' cli '));
  const { stdout } = await exec('bash', ['-c', [cli, ...blocks].join('\n')], {
    env: { ...process.env, ...env },
  });
  const fields = stdout.split('\0').slice(0, -1);
  const reads: { env: string[]; argv: string[] }[] = [];
  for (let at = 0; at < fields.length; ) {
    const count = Number(fields[at]);
    const [id = '', secret = '', ...argv] = fields.slice(at + 1, at + 3 + count);
    reads.push({ env: [id, secret], argv });
    at += 3 + count;
  }
  return reads;
}

/** What a shell makes of the command `simulate` printed ({@link shellReadAll}). */
async function shellRead(printed: string, env: Record<string, string> = {}) {
  const reads = await shellReadAll([printed], env);
  expect(reads).toHaveLength(1);
  return reads[0] as { env: string[]; argv: string[] };
}

/** What `simulate` prints for `flags`. */
async function printed(flags: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { io, stdout } = captureIo(env);
  await simulateCommand(
    ['--days', '1', '--users', '3', '--port', '0', ...flags],
    { ...io, log: silentLog },
    async () => {},
    () => false,
  );
  return stdout();
}

/** The ingest commands `simulate` prints for each of `flagSets`, as a shell reads them, from `ingest` on. */
async function printedIngests(flagSets: string[][]): Promise<string[]> {
  const outs: string[] = [];
  for (const flags of flagSets) outs.push(await printed(flags));
  const reads = await shellReadAll(outs);
  expect(reads).toHaveLength(flagSets.length);
  return reads.map(({ argv }) => {
    expect(argv[0]).toBe('ingest');
    return argv.join(' ');
  });
}

/** The fresh lake the printed command names: where `simulate` found it fresh, whatever runs it. */
const lake = join(process.cwd(), 'sim-lake');

describe('simulate: the printed ingest command on Windows (review R-WINOPS M4)', () => {
  /** What `simulate` prints for `flags` where the platform is `win32`. */
  async function printedOnWindows(flags: string[]): Promise<string> {
    const { io, stdout } = captureIo({});
    await simulateCommand(
      ['--days', '1', '--users', '3', '--port', '0', ...flags],
      { ...io, log: silentLog, platform: 'win32' },
      async () => {},
      () => false,
    );
    return stdout();
  }

  it("is PowerShell's: $env: assignments, backtick continuations, PowerShell quoting", async () => {
    const out = await printedOnWindows(['--to', '2026-11-20T10:30:00Z']);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(out)?.[1];
    expect(commandBlock(out)).toBe(
      [
        "  $env:DOMO_CLIENT_ID='sim-client'; $env:DOMO_CLIENT_SECRET='sim-secret'",
        `  ${cliCommandAnywhere(undefined, powerShellWord)} ingest \``,
        `    --api-base ${url} \``,
        `    --lake ${powerShellWord(lake)} \``,
        '    --from 2026-11-19T10:00:00Z `',
        '    --to 2026-11-20T11:00:00Z',
        '',
      ].join('\n'),
    );
    expect(powerShellWord("C:\\Users\\O'Brien\\sim-lake")).toBe("'C:\\Users\\O''Brien\\sim-lake'");
  });

  it('leaves a secret of your own to $env:DOMO_CLIENT_SECRET, set first', async () => {
    const out = await printedOnWindows(['--client-secret', 'mine-123']);
    expect(out).toContain("$env:DOMO_CLIENT_SECRET = '<the --client-secret you gave>' first.");
    expect(commandBlock(out).split('\n')[0]).toBe("  $env:DOMO_CLIENT_ID='sim-client'");
    expect(out).not.toContain('mine-123');
  });
});

describe('simulate: the printed ingest command', () => {
  // Pasted into another terminal, which may start anywhere (review R-SRE L4): the command runs the
  // checkout's own bin, never `npx --no` (which works inside the checkout only), and names the
  // lake by its absolute path, the directory found fresh.
  it('runs from any directory: the bin and the lake by their absolute paths', async () => {
    const out = await printed([]);
    expect(out).not.toContain('npx');
    const other = await mkdtemp(join(tmpdir(), 'cli-simulate-elsewhere-'));
    try {
      const command = commandBlock(out)
        .replace(/--api-base \S+/, '--api-base https://127.0.0.1:1')
        .replace(/ingest \\\n/, 'ingest --help \\\n');
      const { stdout } = await exec('bash', ['-c', command], { cwd: other });
      expect(stdout).toMatch(/^Usage: domo-activity-lake ingest/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    expect(commandBlock(out)).toContain(`--lake ${shellWord(lake)}`);
  });

  it('is one option a line, joined by backslashes, and a shell reads it as the one-line command', async () => {
    const out = await printed(['--to', '2026-11-20T10:30:00Z']);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(out)?.[1];
    const block = /Pull it with:\n((?: {2}.*\n)+)/.exec(out)?.[1] ?? '';
    expect(block).toBe(
      [
        '  DOMO_CLIENT_ID=sim-client DOMO_CLIENT_SECRET=sim-secret \\',
        `    ${cliCommandAnywhere()} ingest \\`,
        `      --api-base ${url} \\`,
        `      --lake ${shellWord(lake)} \\`,
        '      --from 2026-11-19T10:00:00Z \\',
        '      --to 2026-11-20T11:00:00Z',
        '',
      ].join('\n'),
    );
    // The words of the command as it was printed before, on one line.
    const oneLine = `ingest --api-base ${url} --lake ${lake} --from 2026-11-19T10:00:00Z --to 2026-11-20T11:00:00Z`;
    expect(await shellRead(out)).toEqual({
      env: ['sim-client', 'sim-secret'],
      argv: oneLine.split(' '),
    });
  });

  it('quotes a value the shell would otherwise split', async () => {
    const out = await printed(['--client-id', 'sim client']);
    expect(out).toContain("  DOMO_CLIENT_ID='sim client' DOMO_CLIENT_SECRET=sim-secret \\\n");
    expect((await shellRead(out)).env).toEqual(['sim client', 'sim-secret']);
  });

  it('reads a secret of your own from your shell, never printing it, and still pastes as it is', async () => {
    const out = await printed(['--client-secret', 'top$ecret <x>']);
    expect(out).not.toContain('top$ecret');
    expect(out).toContain('export DOMO_CLIENT_SECRET=<the --client-secret you gave> first');
    expect(out).toContain('  DOMO_CLIENT_ID=sim-client DOMO_CLIENT_SECRET="$DOMO_CLIENT_SECRET" \\\n');
    const read = await shellRead(out, { DOMO_CLIENT_SECRET: 'top$ecret <x>' });
    expect(read.env).toEqual(['sim-client', 'top$ecret <x>']);
    expect(read.argv[0]).toBe('ingest');
  });
});

describe('simulate: the accepted secret from the environment', () => {
  // Review R-LEAK L: --client-secret is on the command line, which `ps` shows.
  it('takes DOMO_CLIENT_SECRET, never printing it, and the command reads it from the shell', async () => {
    const out = await printed([], { DOMO_CLIENT_SECRET: 'env$ecret' });
    expect(out).not.toContain('env$ecret');
    expect(out).not.toContain('export DOMO_CLIENT_SECRET=');
    expect(out).toContain('  DOMO_CLIENT_ID=sim-client DOMO_CLIENT_SECRET="$DOMO_CLIENT_SECRET" \\\n');
  });
});

describe('simulate: the printed ingest command and the time zone of docString times', () => {
  it('passes --doc-time-zone when docString times are in a zone other than UTC', async () => {
    const [newYork, calcutta] = await printedIngests([
      ['--time-format', 'docString', '--doc-time-zone', 'America/New_York'],
      ['--to', '2026-11-20T10:30:00Z', '--time-format', 'docString', '--doc-time-zone', 'Asia/Calcutta'],
    ]);
    expect(newYork).toMatch(/ --backfill-days 2 --doc-time-zone America\/New_York$/);
    expect(calcutta).toMatch(/ --to 2026-11-20T11:00:00Z --doc-time-zone Asia\/Kolkata$/);
  });

  it('leaves it out where the zone changes no time: UTC (under any name), epochMs and iso', async () => {
    const commands = await printedIngests([
      ['--time-format', 'docString'],
      ['--time-format', 'docString', '--doc-time-zone', 'Etc/GMT'],
      ['--time-format', 'epochMs', '--doc-time-zone', 'America/New_York'],
      ['--time-format', 'iso', '--doc-time-zone', 'America/New_York'],
    ]);
    for (const command of commands) expect(command).not.toContain('--doc-time-zone');
  });

  it('prints a command that pulls every docString entry into their hours, none quarantined', async () => {
    const { io, stdout } = captureIo();
    let ingestOut = '';
    await simulateCommand(
      [
        '--days',
        '2',
        '--users',
        '3',
        '--port',
        '0',
        '--time-format',
        'docString',
        '--doc-time-zone',
        'America/New_York',
      ],
      { ...io, log: silentLog },
      async () => {
        const words = (await shellRead(stdout())).argv;
        const lake = words.indexOf('--lake');
        expect(lake).toBeGreaterThan(0);
        words[lake + 1] = join(dir, 'sim-lake');
        const run = captureIo({ DOMO_CLIENT_ID: 'sim-client', DOMO_CLIENT_SECRET: 'sim-secret' });
        expect(await main(words, run.io), run.stderr()).toBe(0);
        ingestOut = run.stdout();
      },
    );
    expect(ingestOut).toMatch(/events written: [1-9]\d*/);
    expect(ingestOut).toMatch(/quarantined: 0\n/);
  });
});

describe('simulate: stopping', () => {
  it('stops when its terminal closes (SIGHUP), as on Ctrl-C, and stops listening', async () => {
    const signals = fakeSignals((send) => setImmediate(() => send('SIGHUP')));
    const { io, stdout } = captureIo();
    await simulateCommand(
      ['--days', '1', '--users', '3', '--port', '0'],
      { ...io, log: silentLog, interrupts: signals.source },
      undefined,
      () => false,
    );
    expect(stdout()).toContain('Simulated Domo listening on http://127.0.0.1:');
    expect(signals.listened()).toBe(1);
    expect(signals.listening()).toBe(false);
    // It stopped by itself: a signal it heard does not end the process.
    expect(signals.quits).toEqual([]);
  });
});
