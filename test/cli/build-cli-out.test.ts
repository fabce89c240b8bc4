import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = join(import.meta.dirname, '..', '..', 'scripts', 'build-cli.mjs');

/** Runs the build script in `cwd`; its exit code and stderr (it never throws). */
async function buildCli(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [script, ...args], { cwd });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('build-cli --out <dir>', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'build-cli-out-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses --out without a value instead of replacing the working directory', async () => {
    await writeFile(join(dir, 'notes.txt'), 'mine\n');
    for (const args of [['--out'], ['--out', '--no-minify'], ['--out', '']]) {
      const { code, stderr } = await buildCli(args, dir);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toMatch(
        /^build-cli: --out needs a directory: node scripts\/build-cli\.mjs --out <dir>/m,
      );
    }
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('refuses a directory holding files no build wrote, and leaves them', async () => {
    const out = join(dir, 'project');
    await mkdir(join(out, 'src'), { recursive: true });
    await writeFile(join(out, 'README.md'), 'mine\n');
    await writeFile(join(out, 'cli.mjs'), '// mine\n');
    const { code, stderr } = await buildCli(['--out', out], dir);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `build-cli: ${out} holds files that are not a CLI build (README.md, src/); a build replaces the whole directory, so it was left as it is: pass a new or empty directory`,
    );
    expect((await readdir(out)).sort()).toEqual(['README.md', 'cli.mjs', 'src']);
    expect((await readdir(dir)).sort()).toEqual(['project']);
  });

  it('refuses a directory of query files alone (no cli.mjs: not a build)', async () => {
    const out = join(dir, 'queries');
    await mkdir(out);
    await writeFile(join(out, 'my_query.sql'), 'select 1\n');
    const { code, stderr } = await buildCli(['--out', out], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('holds files that are not a CLI build (no cli.mjs)');
    expect(await readdir(out)).toEqual(['my_query.sql']);
  });

  it('builds into a new directory, then replaces that build', async () => {
    const out = join(dir, 'profile-cli');
    expect((await buildCli(['--out', out, '--no-minify'], dir)).code).toBe(0);
    expect(await readdir(out)).toContain('cli.mjs');
    const again = await buildCli(['--out', out, '--no-minify'], dir);
    expect(again).toEqual({ code: 0, stderr: '' });
    expect(await readdir(out)).toContain('most_active_users.sql');
  }, 60_000);
});
