import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCommit, cliVersion } from '../../functions/cli/cli-version.ts';
import { main } from '../../functions/cli/main.ts';
import { didYouMean } from '../../functions/core/did-you-mean.ts';
import { captureIo } from '../support/capture-io.ts';

async function run(argv: string[]) {
  const { io, stdout, stderr } = captureIo({});
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

const COMMANDS = 'ingest, verify, status, query, simulate, report, alerts, evidence, enrich, demo';

describe('didYouMean', () => {
  it('finds the word a slip of one or two keys meant', () => {
    const commands = COMMANDS.split(', ');
    expect(didYouMean('qeury', commands)).toBe('query');
    expect(didYouMean('stauts', commands)).toBe('status');
    expect(didYouMean('reprot', commands)).toBe('report');
    expect(didYouMean('alert', commands)).toBe('alerts');
    expect(didYouMean('VERIFY', commands)).toBe('verify');
    // Cut short: --form is --format, though swapping two letters of it makes --from.
    expect(didYouMean('form', ['from', 'format', 'to'])).toBe('format');
    expect(didYouMean('fo', ['from', 'format'])).toBeUndefined();
  });

  it('guesses nothing for a word far from all, or equally near two', () => {
    expect(didYouMean('explode', ['ingest', 'query'])).toBeUndefined();
    expect(didYouMean('x', ['ingest', 'query'])).toBeUndefined();
    // One edit from both: either guess would be wrong half the time.
    expect(didYouMean('lis', ['list', 'lisp'])).toBeUndefined();
  });
});

describe('the command line names what a mistyped word probably was', () => {
  it('an unknown command', async () => {
    expect(await run(['qeury'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: unknown command "qeury" (did you mean query?); commands: ${COMMANDS}\n`,
    });
    expect((await run(['explode'])).stderr).toBe(`error: unknown command "explode"; commands: ${COMMANDS}\n`);
    // Words every object has are no commands.
    expect((await run(['toString'])).code).toBe(2);
  });

  it("an unknown option: the command's nearest, or JSON's other spelling", async () => {
    expect((await run(['query', '--lsit'])).stderr).toBe(
      'error: unknown option --lsit; did you mean --list? (see: query --help)\n',
    );
    expect((await run(['verify', '--format', 'json'])).stderr).toBe(
      'error: unknown option --format; did you mean --json? (see: verify --help)\n',
    );
    expect((await run(['status', '--json'])).stderr).toBe(
      'error: unknown option --json; did you mean --format json? (see: status --help)\n',
    );
    expect((await run(['query', '--form', 'json'])).stderr).toBe(
      'error: unknown option --form; did you mean --format? (see: query --help)\n',
    );
    // No flag takes the client's credentials: the refusal says where they come from, never the value.
    const secretGiven = await run(['ingest', '--client-secret', 'hunter2-value', '--lake', './x']);
    expect(secretGiven).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: unknown option --client-secret; the client id and secret come from DOMO_CLIENT_ID and DOMO_CLIENT_SECRET, or from a Secrets Manager secret named by --secret-id (see: ingest --help)\n',
    });
    expect((await run(['ingest', '--client_id=abc'])).stderr).toMatch(
      /^error: unknown option --client_id; the client id/,
    );
    expect((await run(['query', '--bogus'])).stderr).toBe(
      'error: unknown option --bogus (see: query --help)\n',
    );
  });
});

describe('help and version', () => {
  it("help <command> prints that command's help, as <command> --help does", async () => {
    const asked = await run(['help', 'status']);
    expect(asked).toEqual({ code: 0, stdout: (await run(['status', '--help'])).stdout, stderr: '' });
    expect(asked.stdout).toMatch(/^Usage: domo-activity-lake status/);
    expect(await run(['help', 'qeury'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: unknown command "qeury" (did you mean query?); commands: ${COMMANDS}\n`,
    });
    expect((await run(['help'])).stdout).toMatch(/^Usage: domo-activity-lake <command>/);
  });

  it('--version prints the version of package.json, and the commit of a checkout', async () => {
    const version = (await import('../../package.json', { with: { type: 'json' } })).default.version;
    const commit = cliCommit();
    const line = `domo-activity-lake ${version}${commit === undefined ? '' : ` (${commit})`}\n`;
    expect(await run(['--version'])).toEqual({ code: 0, stdout: line, stderr: '' });
    expect((await run(['-V'])).stdout).toBe(line);
  });

  it('names the commit of a git checkout, and says when its tracked files were changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-commit-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
    try {
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'domo-activity-lake', version: '9.8.7' }),
      );
      expect(cliCommit(dir)).toBeUndefined();
      git('init', '-q');
      git('add', 'package.json');
      git('commit', '-q', '-m', 'one');
      const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).slice(0, 12);
      expect(cliCommit(dir)).toBe(`commit ${head}`);
      // A file git does not track changes nothing the CLI runs.
      await writeFile(join(dir, 'notes.txt'), 'mine');
      expect(cliCommit(dir)).toBe(`commit ${head}`);
      // Nor does the operator's cdk.json, edited over every release as the upgrade steps keep it.
      await writeFile(join(dir, 'cdk.json'), '{"context":{}}');
      git('add', 'cdk.json');
      git('commit', '-q', '-m', 'two');
      const two = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).slice(0, 12);
      await writeFile(join(dir, 'cdk.json'), '{"context":{"activityLake":{}}}');
      expect(cliCommit(dir)).toBe(`commit ${two}`);
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'domo-activity-lake', version: '9.8.8' }),
      );
      expect(cliCommit(dir)).toBe(`commit ${two} with local changes`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the package.json of the project above its folder, skipping others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-version-'));
    try {
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'domo-activity-lake', version: '9.8.7' }),
      );
      await import('node:fs/promises').then(({ mkdir }) => mkdir(join(dir, 'a', 'b'), { recursive: true }));
      await writeFile(join(dir, 'a', 'package.json'), JSON.stringify({ name: 'other', version: '1.0.0' }));
      expect(cliVersion(join(dir, 'a', 'b'))).toBe('9.8.7');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
