import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOptions } from '../../functions/cli/commands/demo.ts';
import { enrichOptions } from '../../functions/cli/commands/enrich.ts';
import { ingestOptions } from '../../functions/cli/commands/ingest.ts';
import { queryOptions } from '../../functions/cli/commands/query.ts';
import { reportOptions } from '../../functions/cli/commands/report.ts';
import { statusOptions } from '../../functions/cli/commands/status.ts';
import { verifyOptions } from '../../functions/cli/commands/verify.ts';
import { main } from '../../functions/cli/main.ts';
import { npmTakenMessage, npmTakenOptions } from '../../functions/cli/npm-taken-options.ts';
import type { OptionSpec } from '../../functions/cli/options.ts';
import { captureIo } from '../support/capture-io.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
/** The environment without any npm variable of the run of the tests themselves (`npm test`). */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

/** What npm sets for a script run with no flag of its own (npm 11 here), from its configuration. */
const NPM_DEFAULTS = {
  npm_command: 'run',
  npm_config_cache: '/root/.npm',
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_prefix: '/usr',
  npm_config_global_prefix: '/usr',
  npm_config_local_prefix: '/work/main',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_init_module: '/root/.npm-init.js',
  npm_config_userconfig: '/root/.npmrc',
  npm_config_globalconfig: '/usr/etc/npmrc',
  npm_config_npm_version: '11.19.1',
  npm_config_noproxy: '',
  npm_config_loglevel: 'silent',
  npm_config_yes: '',
  npm_config_audit: '',
};

describe('options npm took for itself (npm run cli verify --integrity)', () => {
  it('are found under the CLI scripts only, and only for the running command', () => {
    const env = { ...NPM_DEFAULTS, npm_lifecycle_event: 'cli', npm_config_integrity: 'true' };
    expect(npmTakenOptions(env, verifyOptions)).toEqual(['integrity']);
    // status has no --integrity: no refusal for an option it would not have read anyway.
    expect(npmTakenOptions(env, statusOptions)).toEqual([]);
    // Any other script (the tests' own `npm test`, a user's wrapper script) is left alone.
    expect(npmTakenOptions({ ...env, npm_lifecycle_event: 'test' }, verifyOptions)).toEqual([]);
    expect(npmTakenOptions({ npm_config_integrity: 'true' }, verifyOptions)).toEqual([]);
  });

  it("ignore npm's own settings and npm's false (--no-json)", () => {
    const env = { ...NPM_DEFAULTS, npm_lifecycle_event: 'cli' };
    for (const spec of [verifyOptions, statusOptions, ingestOptions, queryOptions, demoOptions]) {
      expect(npmTakenOptions(env, spec)).toEqual([]);
    }
    expect(npmTakenOptions({ ...env, npm_config_json: '' }, verifyOptions)).toEqual([]);
  });

  it('find the flags npm expands into its own keys: --to, --days, --sql', () => {
    const env = { ...NPM_DEFAULTS, npm_lifecycle_event: 'cli' };
    expect(npmTakenOptions({ ...env, npm_config_token_description: 'true' }, ingestOptions)).toEqual(['to']);
    expect(npmTakenOptions({ ...env, npm_config_to: 'true' }, ingestOptions)).toEqual(['to']);
    const days = { ...env, npm_lifecycle_event: 'demo', npm_config_all: 'true', npm_config_yes: 'true' };
    expect(npmTakenOptions(days, demoOptions)).toEqual(['days']);
    // --all alone sets no yes: on demo, which has no --all, nothing to say.
    expect(npmTakenOptions({ ...days, npm_config_yes: '' }, demoOptions)).toEqual([]);
    expect(npmTakenOptions({ ...env, npm_config_long: 'true' }, queryOptions)).toEqual(['sql']);
  });

  it('are refused with the line that passes them on', () => {
    const env = { npm_lifecycle_event: 'cli', npm_config_lake: './my lake', npm_config_integrity: 'true' };
    expect(npmTakenMessage(env, 'verify', ['lake', 'integrity'], verifyOptions, 'linux')).toBe(
      "npm took --lake --integrity for itself: put -- before the command's options, e.g. npm run cli -- verify --lake './my lake' --integrity",
    );
    const demo = { npm_lifecycle_event: 'demo', npm_config_users: 'true' };
    expect(npmTakenMessage(demo, 'demo', ['users'], demoOptions, 'linux')).toBe(
      "npm took --users for itself: put -- before the command's options, e.g. npm run demo -- --users <value>",
    );
    // npm's own keys may come from the user's npm configuration: the way around is said.
    expect(
      npmTakenMessage({ npm_lifecycle_event: 'cli' }, 'enrich', ['force'], enrichOptions, 'linux'),
    ).toMatch(
      /npm run cli -- enrich --force \(not typed\? then your npm configuration sets force: run npx --no domo-activity-lake enrich instead\)$/,
    );
  });

  it('stop the command with exit 2 before it reads anything', async () => {
    const { io, stdout, stderr } = captureIo({ npm_lifecycle_event: 'cli', npm_config_json: 'true' });
    const code = await main(['verify', '--lake', '/nonexistent-lake'], io);
    expect({ code, stdout: stdout() }).toEqual({ code: 2, stdout: '' });
    expect(stderr()).toBe(
      "error: npm took --json for itself: put -- before the command's options, e.g. npm run cli -- verify --json (not typed? then your npm configuration sets json: run npx --no domo-activity-lake verify instead)\n",
    );
  });
});

describe("on Windows, where PowerShell's npm shim drops the -- (npm before 11.4)", () => {
  it('the refusal also names the bin run with node, which takes the options in every shell', async () => {
    const env = { npm_lifecycle_event: 'cli', npm_config_lake: './x' };
    expect(npmTakenMessage(env, 'status', ['lake'], statusOptions, 'win32')).toBe(
      "npm took --lake for itself: put -- before the command's options, e.g. npm run cli -- status --lake ./x; in PowerShell, where npm drops the --, run node bin\\domo-activity-lake.js status --lake ./x from the checkout",
    );
    const { io, stderr } = captureIo({ npm_lifecycle_event: 'cli', npm_config_list: 'true' });
    expect(await main(['query'], { ...io, platform: 'win32' })).toBe(2);
    expect(stderr()).toMatch(/run node bin\\domo-activity-lake\.js query --list from the checkout\n$/);
  });

  it('so does the advice after a stray word', async () => {
    const { io, stderr } = captureIo({ npm_lifecycle_event: 'cli' });
    expect(await main(['status', 'json'], { ...io, platform: 'win32' })).toBe(2);
    expect(stderr()).toContain(
      '(npm run cli -- status ...); in PowerShell, where npm drops the --, run node bin\\domo-activity-lake.js status ... from the checkout (see: status --help)',
    );
  });
});

describe('a stray word under npm run (npm run cli status --format json leaves json behind)', () => {
  it('is refused with the advice to put -- first, only when npm ran the script', async () => {
    const refusal = async (env: NodeJS.ProcessEnv) => {
      const { io, stderr } = captureIo(env);
      return { code: await main(['status', 'json'], io), stderr: stderr() };
    };
    expect(await refusal({ npm_lifecycle_event: 'cli' })).toEqual({
      code: 2,
      stderr:
        "error: unexpected argument json: this command takes options only; if you typed an option before it, npm took that option for itself: put -- before the command's options (npm run cli -- status ...) (see: status --help)\n",
    });
    expect((await refusal({})).stderr).toBe(
      'error: unexpected argument json: this command takes options only (see: status --help)\n',
    );
  });

  it('after a query name is refused with the same advice (npm run cli query q --format csv)', async () => {
    const { io, stderr } = captureIo({ npm_lifecycle_event: 'cli' });
    expect(await main(['query', 'most_active_users', 'csv'], io)).toBe(2);
    expect(stderr()).toBe(
      "error: one query at a time (got most_active_users, csv); if you typed an option before it, npm took that option for itself: put -- before the command's options (npm run cli -- query ...) (see: query --help)\n",
    );
  });
});

describe('npm itself, run as a user would', () => {
  beforeAll(async () => {
    await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale'], { cwd: root });
  });

  it('npm run -s cli verify --integrity exits 2 and says to put -- first', async () => {
    const failed = await run('npm', ['run', '-s', 'cli', 'verify', '--integrity'], {
      cwd: root,
      env: cleanEnv,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2, stdout: '' });
    expect(failed?.stderr).toBe(
      "error: npm took --integrity for itself: put -- before the command's options, e.g. npm run cli -- verify --integrity\n",
    );
  });

  describe('every option of every command, typed before a --', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'npm-taken-'));
      // A stand-in for the CLI's script that shows what npm hands it: its environment.
      const script = `node -e "process.stdout.write(JSON.stringify(process.env))"`;
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 't', scripts: { cli: script } }));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** The environment npm gives the script for `npm run -s cli x --<name>`. */
    const npmEnv = async (name: string): Promise<NodeJS.ProcessEnv> =>
      JSON.parse(
        // --sql is -s -q -l to npm: no longer silent, it prints its header before the script's line.
        (await run('npm', ['run', '-s', 'cli', 'x', `--${name}`], { cwd: dir, env: cleanEnv })).stdout
          .trim()
          .split('\n')
          .at(-1) ?? '',
      );

    // One of each way npm records a flag (the whole table took 20 s of npm start-ups): as itself,
    // dashes as underscores, as a key of npm's own, expanded to another key, split into shorthands.
    const SAMPLE: [string, OptionSpec][] = [
      ['integrity', verifyOptions],
      ['backfill-days', ingestOptions],
      ['lake', statusOptions],
      ['json', reportOptions],
      ['to', ingestOptions],
      ['days', demoOptions],
      ['sql', queryOptions],
    ];

    it.each(SAMPLE)('--%s is found, and nothing else', async (name, spec) => {
      expect(npmTakenOptions(await npmEnv(name), spec)).toEqual([name]);
    });

    it('--format is not: npm reads it as its format-package-lock, left at its default', async () => {
      expect(npmTakenOptions(await npmEnv('format'), statusOptions)).toEqual([]);
    });
  });
});
