import { link, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore, KILLED_TEMP_AGE_MS } from '../../functions/adapters/fs-store.ts';

// A write killed between writing its temp file and renaming (or, create-only, between linking it
// and removing it) left `.<16 hex>.tmp`, a full copy of the object, for ever: 16 of them after 34
// kills. A store now removes those older than 10 minutes in a folder at its first write there.

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-killed-temps-'));
  dir = join(root, 'coverage', 'instance=main', 'dt=2026-12-01');
  await mkdir(dir, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const body = new TextEncoder().encode('{}');
const killed = '.0123456789abcdef.tmp';
/** Names a killed write's sweep must leave: a lock, a lock's own temp file, other dot files. */
const others = ['.04.json.lock', `.04.json.lock.${'a'.repeat(24)}.tmp`, '.0123456789abcde.tmp', '.notes'];

/** Sets back the last write of each file by `ageMs`, as the file system's clock counts. */
const age = async (names: readonly string[], ageMs: number) => {
  const then = new Date(Date.now() - ageMs);
  for (const name of names) await utimes(join(dir, name), then, then);
};
const store = () => new FsObjectStore(root);

describe("FsObjectStore: killed writes' temp files", () => {
  it('are removed once older than 10 minutes, at the first write into their folder', async () => {
    for (const name of [killed, ...others]) await writeFile(join(dir, name), 'x');
    await age([killed, ...others], KILLED_TEMP_AGE_MS + 60_000);
    await store().put('coverage/instance=main/dt=2026-12-01/05.json', body);
    expect((await readdir(dir)).sort()).toEqual(['05.json', ...others].sort());
  });

  it('are removed when linked to an object (a create-only write killed before its clean-up)', async () => {
    await writeFile(join(dir, '04.json'), '{}');
    await link(join(dir, '04.json'), join(dir, killed));
    await age([killed], KILLED_TEMP_AGE_MS + 60_000);
    await store().put('coverage/instance=main/dt=2026-12-01/05.json', body, {
      ifNoneMatch: '*',
    });
    expect((await readdir(dir)).sort()).toEqual(['04.json', '05.json']);
  });

  it("are kept while younger: a live writer's", async () => {
    await writeFile(join(dir, killed), 'x');
    await age([killed], KILLED_TEMP_AGE_MS - 60_000);
    await store().put('coverage/instance=main/dt=2026-12-01/05.json', body);
    expect(await readdir(dir)).toContain(killed);
  });

  it("are judged by the file system's clock: a store whose clock runs ahead of it keeps a live writer's", async () => {
    // A lake on a file server, a client clock 11 minutes ahead of the server's: the fresh temp
    // file of a write waiting for its lock is no killed write's.
    await writeFile(join(dir, killed), 'x');
    const ahead = new FsObjectStore(root, { now: () => Date.now() + KILLED_TEMP_AGE_MS + 60_000 });
    await ahead.put('coverage/instance=main/dt=2026-12-01/05.json', body);
    expect(await readdir(dir)).toContain(killed);
  });

  it('are looked for once per folder by a store: its later writes there read no folder', async () => {
    const once = store();
    await once.put('coverage/instance=main/dt=2026-12-01/05.json', body);
    await writeFile(join(dir, killed), 'x');
    await age([killed], KILLED_TEMP_AGE_MS + 60_000);
    await once.put('coverage/instance=main/dt=2026-12-01/06.json', body);
    expect(await readdir(dir)).toContain(killed);
    await store().put('coverage/instance=main/dt=2026-12-01/07.json', body);
    expect(await readdir(dir)).not.toContain(killed);
  });
});
