import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-out-first-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ran',
    (e: Error) => e.message,
  );

describe("demo's --out", () => {
  it('that cannot be made stops the demo before it simulates or builds anything', async () => {
    // A link to a disk not mounted: the option's own check sees only a path not there yet.
    await symlink(join(dir, 'unmounted'), join(dir, 'disk'));
    const lake = join(dir, 'lake');
    const { io, stdout } = captureIo();
    const message = await failure(
      demoCommand(['--lake', lake, '--out', join(dir, 'disk', 'out'), '--days', '1', '--users', '1'], {
        ...io,
        log: silentLog,
      }),
    );
    expect(message).toMatch(
      /^cannot create the directory .*disk\/out: .*disk is a symbolic link to .*unmounted, which does not exist/,
    );
    expect(existsSync(lake)).toBe(false);
    expect(stdout()).toBe('');
  });

  it('made for a demo that is then refused is removed again, with the parents made for it', async () => {
    const foreign = join(dir, 'mine');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'mine\n');
    const message = await failure(
      demoCommand(['--lake', foreign, '--out', join(dir, 'new', 'out')], {
        ...captureIo().io,
        log: silentLog,
      }),
    );
    expect(message).toContain('is not empty and was not made by the demo');
    expect(await readdir(dir)).toEqual(['mine']);
  });
});
