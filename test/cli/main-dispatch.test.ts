import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from '../../functions/cli/command-line.ts';
import { main } from '../../functions/cli/main.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';

/** What `main` does with the words before a command runs: help, exit statuses, log levels. */
describe('main, before a command runs', () => {
  it('prints the usage on stderr and exits 2 when no command is given (a script that forgot it must fail)', async () => {
    const { io, stdout, stderr } = captureIo();
    expect(await main([], io)).toBe(2);
    expect(stderr()).toMatch(/^Usage: domo-activity-lake <command>/);
    expect(stdout()).toBe('');
  });

  // The overview sends the reader to status --help for them (status-help-states.test.ts).
  it('names every state status exits 1 on, in its help', async () => {
    const { io, stdout } = captureIo();
    expect(await main(['status', '--help'], io)).toBe(0);
    for (const state of ['LATE', 'SILENT', 'FAILED', 'AHEAD', 'CORRUPT', 'NEWER', 'QUARANTINE'])
      expect(stdout(), state).toMatch(new RegExp(`\\b${state}\\b`));
  });

  it('takes -h and help as --help, at the top and for a command, and exits 0', async () => {
    for (const word of ['-h', 'help', '--help']) {
      const { io, stdout } = captureIo();
      expect(await main([word], io), word).toBe(0);
      expect(stdout(), word).toMatch(/^Usage: domo-activity-lake <command>/);
    }
    for (const word of ['-h', '--help']) {
      const { io, stdout } = captureIo();
      expect(await main(['simulate', word], io), word).toBe(0);
      expect(stdout(), word).toMatch(/^Usage: domo-activity-lake simulate/);
    }
  });
});

describe('main, options given before the command', () => {
  const refused = async (args: string[]) => {
    const { io, stdout, stderr } = captureIo();
    expect(await main(args, io), args.join(' ')).toBe(2);
    expect(stdout()).toBe('');
    return stderr();
  };

  it('says options go after the command, with the line that runs', async () => {
    expect(await refused(['--lake', './lake', 'status'])).toBe(
      `error: options go after the command: ${commandLine(['status', '--lake', './lake'])}\n`,
    );
    expect(await refused(['--json', 'verify', '--lake', 'x'])).toBe(
      `error: options go after the command: ${commandLine(['verify', '--json', '--lake', 'x'])}\n`,
    );
  });

  it('names the global option a mistyped one meant, and says what else an option needs', async () => {
    expect(await refused(['--versio'])).toBe('error: unknown option --versio; did you mean --version?\n');
    expect(await refused(['--lake', './lake'])).toMatch(
      /^error: unknown option --lake: options go after the command \(.* <command> --lake \.\.\.\); commands: ingest, /,
    );
  });

  it("prints a command's help for --help before it, as for help", async () => {
    for (const word of ['--help', '-h']) {
      const { io, stdout } = captureIo();
      expect(await main([word, 'query'], io), word).toBe(0);
      expect(stdout(), word).toMatch(/^Usage: domo-activity-lake query/);
    }
  });

  it('prints the usage for --help before an option, as before commands were looked for there', async () => {
    const { io, stdout } = captureIo();
    expect(await main(['--help', '--lake'], io)).toBe(0);
    expect(stdout()).toMatch(/^Usage: domo-activity-lake <command>/);
  });
});

describe('main, the log level of --verbose and --debug', () => {
  const credentials = { DOMO_CLIENT_ID: 'log-client', DOMO_CLIENT_SECRET: 'log-secret' };
  const fromMs = Date.parse('2026-10-01T00:00:00Z');
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-log-level-'));
    sim = await startSimulator({
      events: generateInstance({ seed: 5, fromMs, toMs: fromMs + 3_600_000, users: 2 }).events,
      clients: [{ clientId: 'log-client', clientSecret: 'log-secret', scopes: ['audit'] }],
      seed: 1,
    });
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ingest = async (flag: string[], lake: string) => {
    const { io, stderr } = captureIo(credentials);
    const args = ['ingest', '--from', '2026-10-01T00:00:00Z', '--to', '2026-10-01T01:00:00Z'];
    const code = await main([...flag, ...args, '--lake', join(dir, lake), '--api-base', sim.url], io);
    expect(code, stderr()).toBe(0);
    return stderr();
  };

  it('logs info but not debug with --verbose, debug too with --debug, and nothing without either', async () => {
    const verbose = await ingest(['--verbose'], 'verbose');
    expect(verbose).toMatch(/^info: ingest run planned/m);
    expect(verbose).not.toMatch(/^debug: /m);
    expect(await ingest(['--debug'], 'debug')).toMatch(/^debug: Domo audit page fetched/m);
    expect(await ingest([], 'quiet')).not.toMatch(/^(debug|info): /m);
  });
});
