import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { inspectLakeDirectory, listFound } from '../../functions/cli/lake-directory.ts';
import { checkpointKey, digestKey, quarantineKey } from '../../functions/core/lake/layout.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-directory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A directory holding `files` (paths relative to it; a trailing `/` makes a folder). */
async function directory(name: string, files: readonly string[]): Promise<string> {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  for (const file of files) {
    if (file.endsWith('/')) await mkdir(join(root, file), { recursive: true });
    else {
      await mkdir(join(root, file, '..'), { recursive: true });
      await writeFile(join(root, file), '');
    }
  }
  return root;
}

describe('what a directory given as a lake holds', () => {
  it('is missing, or empty when it holds nothing but file-manager files', async () => {
    expect(await inspectLakeDirectory(join(dir, 'nothing-here'))).toEqual({ kind: 'missing', found: [] });
    expect((await inspectLakeDirectory(await directory('bare', []))).kind).toBe('empty');
    const finder = await directory('finder', ['.DS_Store', 'Thumbs.db', 'desktop.ini', '.localized']);
    expect(await inspectLakeDirectory(finder)).toEqual({ kind: 'empty', found: [] });
  });

  it("is empty when it holds only a killed first run's lock and its litter (R-LOOKA F1)", async () => {
    const left = await directory('killed-first-run', [
      '.ingest-run-20261205T131914Z-8040db.lock',
      `.ingest-run-20261205T131914Z-8040db.lock.${'c'.repeat(24)}.tmp`,
    ]);
    expect((await inspectLakeDirectory(left)).kind).toBe('empty');
    const notRunLock = await directory('other-lock', ['.ingest-run-x.lock.bak']);
    expect((await inspectLakeDirectory(notRunLock)).kind).toBe('other');
  });

  it('counts other hidden entries: a folder of dotfiles is a home directory or a repository', async () => {
    const home = await directory('home', ['.bashrc', '.ssh/', '.DS_Store']);
    expect(await inspectLakeDirectory(home)).toEqual({ kind: 'other', found: ['.bashrc', '.ssh/'] });
  });

  it("recognises a lake by any folder an ingest writes holding an instance folder, the owner's files beside it", async () => {
    for (const [name, key] of [
      ['by-state', checkpointKey('main')],
      ['by-quarantine', quarantineKey('acme', Date.UTC(2026, 9, 1))],
      ['by-digest', digestKey('acme', 1)],
    ] as const) {
      const lake = await directory(name, [key, 'README.txt']);
      expect(await inspectLakeDirectory(lake), name).toEqual({
        kind: 'lake',
        found: ['README.txt', `${key.split('/')[0]}/`],
      });
    }
  });

  it('does not take a folder that only shares a name with a lake folder for a lake', async () => {
    const project = await directory('project', ['state/session.json', 'coverage/lcov.info', 'reports/x/']);
    expect(await inspectLakeDirectory(project)).toEqual({
      kind: 'other',
      found: ['coverage/', 'reports/', 'state/'],
    });
    const reportsOnly = await directory('out', ['reports/instance=main/2026-W40.html', 'report.html']);
    expect((await inspectLakeDirectory(reportsOnly)).kind).toBe('other');
  });

  it("tells the demo's lake by its marker", async () => {
    const demo = await directory('demo', [DEMO_MARKER, checkpointKey('main')]);
    expect((await inspectLakeDirectory(demo)).kind).toBe('demo-lake');
  });

  it('lists the first few entries found, and how many more', () => {
    expect(listFound(['a', 'b/'])).toBe('a, b/');
    expect(listFound(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
  });
});
