import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommandIn, packageRootAbove, shellWord } from '../../functions/cli/command-line.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'domo-activity-lake.js');

let outside: string;
beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), 'cli-command-'));
});
afterAll(async () => {
  await rm(outside, { recursive: true, force: true });
});

/** What bash prints running `command` in `cwd` (no npm banner, no loader). */
const shell = async (command: string, cwd: string): Promise<string> =>
  (await run('bash', ['-c', command], { cwd, env: { ...process.env, NODE_OPTIONS: '' } })).stdout;

// npx given the package's name outside the checkout fetches whatever the public registry serves under
// that name (the package is not published) and runs it with the reader's Domo and AWS credentials.
describe('the command the CLI prints for itself', () => {
  it('finds the package above this module, and nothing above the file system root', () => {
    expect(packageRootAbove(join(root, 'functions', 'cli'))).toBe(root);
    expect(packageRootAbove(join(root, 'dist'))).toBe(root);
    expect(packageRootAbove('/')).toBeUndefined();
  });

  it('is npx forbidden to download inside the checkout, from any directory below it', () => {
    for (const cwd of [root, join(root, 'test'), join(root, 'sim-lake', 'state')]) {
      expect(cliCommandIn(cwd, root), cwd).toBe('npx --no domo-activity-lake');
    }
    // Without the package's directory (a bundle copied elsewhere), still never a download.
    expect(cliCommandIn(outside, null)).toBe('npx --no domo-activity-lake');
  });

  it("is node with the bin's absolute path anywhere else, quoted for the shell", () => {
    // Quoted when the checkout's path needs it (a space in it): the last case shows one.
    expect(cliCommandIn(outside, root)).toBe(`node ${shellWord(bin)}`);
    expect(cliCommandIn('/', root)).toBe(`node ${shellWord(bin)}`);
    // A sibling whose name starts like the checkout's is not inside it.
    expect(cliCommandIn(`${root}-other`, root)).toBe(`node ${shellWord(bin)}`);
    expect(cliCommandIn('/tmp', '/home/me/my checkout')).toBe(
      "node '/home/me/my checkout/bin/domo-activity-lake.js'",
    );
  });

  it('runs where it was printed: outside the checkout and below it', async () => {
    const below = join(root, 'functions');
    // Side by side: npm's start-up (~1.3 CPU-s under npx) is most of the wait, and the plain node
    // command fits beside it.
    const [outsideList, belowList] = await Promise.all([
      shell(`${cliCommandIn(outside, root)} query --list`, outside),
      shell(`${cliCommandIn(below, root)} query --list`, below),
    ]);
    expect(outsideList).toMatch(/^most_active_users/m);
    expect(belowList).toMatch(/^most_active_users/m);
  });

  it('is never npx without --no in the docs, the code or the tests', async () => {
    const files = [
      join(root, 'README.md'),
      ...(await readdir(join(root, 'docs'))).map((f) => join(root, 'docs', f)),
      ...(await readdir(join(root, 'functions'), { recursive: true })).map((f) => join(root, 'functions', f)),
      ...(await readdir(join(root, 'test'), { recursive: true })).map((f) => join(root, 'test', f)),
    ].filter((f) => /\.(md|ts)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    const bare = /\bnpx\s+domo-activity-lake/;
    const found = [];
    for (const file of files) if (bare.test(await readFile(file, 'utf8'))) found.push(file);
    expect(found).toEqual([]);
  });
});
