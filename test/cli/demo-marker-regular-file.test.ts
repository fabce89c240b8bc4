import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { DEMO_MARKER, isDemoLake } from '../../functions/cli/demo-lake.ts';
import { inspectLakeDirectory } from '../../functions/cli/lake-directory.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-marker-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const demo = (lake: string) =>
  demoCommand(['--lake', lake, '--days', '1', '--users', '1'], { ...captureIo().io, log: silentLog }).then(
    () => 'ran',
    (e: Error) => `${e.name}: ${e.message}`,
  );

describe("the demo's marker counts only as a regular file", () => {
  it('a link of its name (to a file elsewhere) is no demo lake: refused, the link target untouched', async () => {
    const lake = join(dir, 'lake');
    await mkdir(lake);
    const target = join(dir, 'precious.txt');
    await writeFile(target, 'mine\n');
    await symlink(target, join(lake, DEMO_MARKER));
    await writeFile(join(lake, 'notes.txt'), 'mine too\n');
    expect(isDemoLake(lake)).toBe(false);
    expect((await inspectLakeDirectory(lake)).kind).toBe('other');
    expect(await demo(lake)).toMatch(/^UsageError: .* is not empty and was not made by the demo/);
    expect(await readFile(target, 'utf8')).toBe('mine\n');
    expect((await readdir(lake)).sort()).toEqual([DEMO_MARKER, 'notes.txt']);
  });

  it('a folder of its name is no demo lake: refused, nothing beside it cleared', async () => {
    const lake = join(dir, 'lake');
    await mkdir(join(lake, DEMO_MARKER), { recursive: true });
    await writeFile(join(lake, 'notes.txt'), 'mine\n');
    expect(isDemoLake(lake)).toBe(false);
    expect(await demo(lake)).toMatch(/^UsageError: .* is not empty and was not made by the demo/);
    expect((await readdir(lake)).sort()).toEqual([DEMO_MARKER, 'notes.txt']);
  });

  it('the regular file the demo writes still marks its lake', async () => {
    await writeFile(join(dir, DEMO_MARKER), '');
    expect(isDemoLake(dir)).toBe(true);
    expect((await inspectLakeDirectory(dir)).kind).toBe('demo-lake');
  });
});
