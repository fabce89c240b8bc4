import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { assertDirectoryOption } from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-dir-option-'));
  await writeFile(join(dir, 'notes.txt'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a directory option', () => {
  it('refuses a path that goes through a file, naming the flag', () => {
    const path = join(dir, 'notes.txt', 'out');
    expect(() => assertDirectoryOption('--out', path)).toThrow(
      new UsageError(
        `--out ${path}: ${join(dir, 'notes.txt')} is a file, not a directory: pass a directory (created if missing)`,
      ),
    );
  });

  it('refuses a leading ~ that no shell expanded (quoted, crontab, YAML) as a usage error', async () => {
    expect(() => assertDirectoryOption('--out', '~/reports')).toThrow(
      new UsageError(
        `--out "~/reports": the shell did not expand its leading ~ (it was quoted, or came from a crontab, a unit file or YAML), so it names a folder "~" in the working directory: write the full path, ${join(homedir(), 'reports')}`,
      ),
    );
    expect(() => assertDirectoryOption('--lake', '~')).toThrow(/^--lake "~": the shell did not expand/);
    const { io, stderr } = captureIo();
    expect(await main(['verify', '--lake', '~/lake'], io)).toBe(2);
    expect(stderr()).toMatch(
      /^error: --lake "~\/lake": the shell did not expand its leading ~ .*\(see: verify --help\)\n$/,
    );
  });

  it('refuses a leading ~name/ that no shell expanded the same way: it names a folder "~name"', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['verify', '--lake', '~someone-else/x'], io)).toBe(2);
    expect(stderr()).toBe(
      'error: --lake "~someone-else/x": the shell did not expand its leading ~ (it was quoted, or came from a crontab, a unit file or YAML), so it names a folder "~someone-else" in the working directory: write the full path, the home directory of someone-else followed by /x (see: verify --help)\n',
    );
  });

  it('refuses an empty value, which would be the working directory', async () => {
    for (const empty of ['', ' ']) {
      expect(() => assertDirectoryOption('--out', empty)).toThrow(
        new UsageError('--out is empty: pass a directory (created if missing)'),
      );
    }
    const { io, stderr } = captureIo();
    expect(await main(['demo', '--lake', ''], io)).toBe(2);
    expect(stderr()).toBe(
      'error: --lake is empty: pass a directory (created if missing) (see: demo --help)\n',
    );
  });

  it('accepts a missing directory and an existing one', () => {
    expect(assertDirectoryOption('--out', join(dir, 'new'))).toBe(join(dir, 'new'));
    expect(assertDirectoryOption('--out', dir)).toBe(dir);
  });
});
