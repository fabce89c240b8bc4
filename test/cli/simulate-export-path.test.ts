import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-simulate-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const simulate = async (exportTo: string) => {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['simulate', '--days', '1', '--users', '3', '--export', exportTo], io);
  return { code, stdout: stdout(), stderr: stderr() };
};

const WANTED = 'pass a file (created, with its folders, if missing)';

describe('simulate --export', () => {
  it('makes the folders of a file whose folders are missing', async () => {
    const file = join(dir, 'new', 'deeper', 'truth.ndjson');
    const run = await simulate(file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^wrote \\d+ entries of ground truth to ${file}\\n$`));
    expect((await readFile(file, 'utf8')).split('\n')[0]).toMatch(/^\{/);
  });

  it('refuses a directory, a file on the path and an empty value as usage errors naming the flag', async () => {
    const folder = join(dir, 'folder');
    // A folder that does not exist yet, named by its trailing separator (review 45, R-S).
    expect(await simulate(`${folder}/`)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining(`error: --export ${folder}/ names a directory: ${WANTED}`),
    });
    await mkdir(folder);
    expect(await simulate(folder)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining(`error: --export ${folder} is a directory: ${WANTED}`),
    });
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'x');
    expect((await simulate(join(notes, 'truth.ndjson'))).stderr).toContain(
      `error: --export ${join(notes, 'truth.ndjson')}: ${notes} is a file, not a directory: ${WANTED}`,
    );
    expect(await simulate('')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`error: --export is empty: ${WANTED}`),
    });
  });
});
