import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockOfLitter } from '../../functions/adapters/file-lock.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';

// A lake key's write lock is the mail folder's lock (file-lock.ts): a lock user killed at the
// wrong moment leaves a lock moved aside, a claim or a temp file beside it. Only the mail folder's
// switch removed them; in a lake they stayed for ever. A store now removes them the next time it
// holds that key's lock, having seen them at its first write into the folder.

let root: string;
let dir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-lock-litter-'));
  dir = join(root, 'state', 'instance=main');
  await mkdir(dir, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const KEY = 'state/instance=main/checkpoint.json';
const LOCK = '.checkpoint.json.lock';
const body = new TextEncoder().encode('{}');
/** The owner record of a process of this machine that is gone (pids are below 2^22 on Linux). */
const dead = JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), acquired_at: new Date().toISOString() });
const claimOf = (lock: string, lockText: string) =>
  `${lock}.${createHash('sha256').update(lockText).digest('hex').slice(0, 32)}.claim`;

async function leave(files: Record<string, string>, ageMs: number) {
  const at = new Date(Date.now() - ageMs);
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), text);
    await utimes(join(dir, name), at, at);
  }
}

describe("FsObjectStore: a lake lock's litter", () => {
  const litterOf = (lock: string) => ({
    [`${lock}.${'a'.repeat(12)}.stale`]: dead,
    [`${lock}.${'b'.repeat(12)}.release`]: dead,
    [claimOf(lock, dead)]: dead,
    [`${lock}.${'c'.repeat(24)}.tmp`]: dead,
    [`${lock}.${'d'.repeat(32)}.claim.${'e'.repeat(24)}.tmp`]: '',
  });

  it("is removed at the next write through that key's lock; another key's is left to its own", async () => {
    const other = litterOf('.last-run.json.lock');
    await leave({ ...litterOf(LOCK), ...other }, 11 * 60_000);
    // A move aside is judged by its change time, which no test can set back: the store's clock
    // runs ahead instead.
    const later = () => new FsObjectStore(root, { now: () => Date.now() + 11 * 60_000 });
    await later().put(KEY, body);
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', ...Object.keys(other)].sort());
    await later().put('state/instance=main/last-run.json', body);
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', 'last-run.json']);
  });

  it("is kept while a live lock user's may be: just moved aside, or being written", async () => {
    const young = { [`${LOCK}.${'a'.repeat(12)}.stale`]: dead, [`${LOCK}.${'d'.repeat(24)}.tmp`]: '' };
    await leave(young, 0);
    await new FsObjectStore(root).put(KEY, body);
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', ...Object.keys(young)].sort());
  });

  it('is named by its lock, and nothing else is', () => {
    for (const name of Object.keys(litterOf(LOCK))) expect(lockOfLitter(name)).toBe(LOCK);
    expect(lockOfLitter(`.a.lock.b.json.lock.${'f'.repeat(24)}.tmp`)).toBe('.a.lock.b.json.lock');
    for (const name of [LOCK, `${LOCK}.bak`, '.0123456789abcdef.tmp', `${LOCK}.${'a'.repeat(11)}.stale`])
      expect(lockOfLitter(name)).toBeUndefined();
  });
});
