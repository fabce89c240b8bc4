import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FsObjectStore,
  type FsObjectStoreOptions,
  SpecialFileInLakeError,
  SymbolicLinkInLakeError,
} from '../../functions/adapters/fs-store.ts';
import { PreconditionFailedError } from '../../functions/core/ports.ts';
import { collect } from '../support/collect.ts';
import { dirPerTest, encode } from '../support/dir-per-test.ts';

// What the main fs-store test leaves out: keys that meet a file or a folder where the other is,
// both conditions on one put, symbolic links and special files in the lake, and the lock's timings
// and defaults.
let dir: string;
let store: FsObjectStore;
dirPerTest('fs-store-edges-', (made) => {
  dir = made;
  store = new FsObjectStore(made);
});

describe('FsObjectStore keys that meet a file or a folder', () => {
  it('reads a key that lies under a file as absent, and lists nothing under a file', async () => {
    await store.put('a/b', encode('x'));
    expect(await store.get('a/b/c')).toBeUndefined();
    expect(await collect(store.list('a/b/'))).toEqual([]);
  });

  // On a disk a folder at a key keeps it from ever being written: read as absent, `verify` called
  // such an hour missing without a word of the folder.
  const folderRefusal = (key: string) =>
    `${key} in the lake (${join(dir, ...key.split('/'))}) is a folder where the lake keeps that object: move it away (docs/guarantees.md §6)`;

  it('refuses to read or probe a key a folder stands at, naming it, empty or not', async () => {
    await store.put('a/b', encode('x'));
    await expect(store.get('a')).rejects.toThrow(SpecialFileInLakeError);
    await expect(store.get('a')).rejects.toThrow(folderRefusal('a'));
    await mkdir(join(dir, 'd', 'i', '1.json'), { recursive: true });
    await expect(store.get('d/i/1.json')).rejects.toThrow(folderRefusal('d/i/1.json'));
    await expect(store.exists('d/i/1.json')).rejects.toThrow(folderRefusal('d/i/1.json'));
    // A listing walks into it, as into any folder: S3 keeps a key and a prefix of one name apart.
    expect(await collect(store.list('a'))).toEqual(['a/b']);
    expect(await collect(store.list('d/'))).toEqual([]);
  });

  it('refuses every write onto a folder by saying so', async () => {
    await mkdir(join(dir, 't', 'k'), { recursive: true });
    const cannot = `cannot write t/k: ${join(dir, 't', 'k')} is a folder where the lake keeps that object; move it away`;
    await expect(store.put('t/k', encode('v'))).rejects.toThrow(cannot);
    await expect(store.put('t/k', encode('v'), { ifMatch: '"x"' })).rejects.toThrow(folderRefusal('t/k'));
  });

  it('refuses a create-only put onto a folder by saying so, not as a lost race', async () => {
    await store.put('state/last-run.json/inside', encode('x'));
    const put = store.put('state/last-run.json', encode('{}'), { ifNoneMatch: '*' });
    await expect(put).rejects.toThrow(
      `cannot write state/last-run.json: ${join(dir, 'state', 'last-run.json')} is a folder where the lake keeps that object; move it away`,
    );
    await expect(put).rejects.not.toBeInstanceOf(PreconditionFailedError);
    await store.put('k', encode('v0'));
    await expect(store.put('k', encode('v1'), { ifNoneMatch: '*' })).rejects.toThrow(PreconditionFailedError);
  });
});

describe.runIf(process.platform !== 'win32')('FsObjectStore special files', () => {
  // The store writes regular files only. Opening a FIFO with no writer to read it waited for ever
  // (`verify --integrity` hung), and a listing skipped one silently: both now refuse it, naming it.
  const fifoAt = (key: string) => execFileSync('mkfifo', [join(dir, ...key.split('/'))]);
  const refusal = (key: string) =>
    `${key} in the lake (${join(dir, ...key.split('/'))}) is a FIFO (named pipe), not an object: the lake holds regular files only; remove it`;

  it('refuses to read, probe or list a FIFO in place of an object, without waiting on it', {
    timeout: 30_000,
  }, async () => {
    await store.put('t/i/k', encode('x'));
    await rm(join(dir, 't', 'i', 'k'));
    fifoAt('t/i/k');
    await expect(store.get('t/i/k')).rejects.toThrow(SpecialFileInLakeError);
    await expect(store.get('t/i/k')).rejects.toThrow(refusal('t/i/k'));
    await expect(store.exists('t/i/k')).rejects.toThrow(refusal('t/i/k'));
    await expect(collect(store.list('t/'))).rejects.toThrow(refusal('t/i/k'));
  });

  it('refuses to list a FIFO under any name, and leaves one the listing does not reach', {
    timeout: 30_000,
  }, async () => {
    await store.put('t/i/k', encode('x'));
    fifoAt('t/i/kx.ndjson.gz');
    await expect(collect(store.list('t/i/'))).rejects.toThrow(refusal('t/i/kx.ndjson.gz'));
    await expect(collect(store.list(''))).rejects.toThrow(refusal('t/i/kx.ndjson.gz'));
    expect(await collect(store.list('t/i/k/'))).toEqual([]);
    expect(await collect(store.list('t/i/a'))).toEqual([]);
  });
});

describe('FsObjectStore symbolic links', () => {
  // The store writes regular files in real folders only: a link below a top folder is none of its
  // objects, and reading through one let a linked folder add events that no check saw.
  const refusal = (key: string, kind: 'file' | 'folder') =>
    kind === 'file'
      ? `${key} in the lake (${join(dir, ...key.split('/'))}) is a symbolic link, not an object: the lake holds none; replace it with the file or remove it`
      : `${key}/ in the lake (${join(dir, ...key.split('/'))}) is a symbolic link to a folder, not a folder of the lake`;

  it('refuses to list a link to a file or a folder below a top folder, naming it', async () => {
    await store.put('t/i/k', encode('x'));
    await store.put('elsewhere/k', encode('y'));
    await symlink(join(dir, 't', 'i', 'k'), join(dir, 't', 'i', 'link'));
    const listing = collect(store.list('t/'));
    await expect(listing).rejects.toThrow(SymbolicLinkInLakeError);
    await expect(listing).rejects.toThrow(refusal('t/i/link', 'file'));
    await rm(join(dir, 't', 'i', 'link'));
    await symlink(join(dir, 'elsewhere'), join(dir, 't', 'day'));
    await expect(collect(store.list('t/'))).rejects.toThrow(refusal('t/day', 'folder'));
    // Listed from inside the link too, and read through it: both refused.
    await expect(collect(store.list('t/day/'))).rejects.toThrow(refusal('t/day', 'folder'));
    await expect(store.get('t/day/k')).rejects.toThrow(refusal('t/day', 'folder'));
    // A link the listing does not reach is none of its business.
    expect(await collect(store.list('t/i/'))).toEqual(['t/i/k']);
    expect(await collect(store.list('t/d', { startAfter: 't/dz' }))).toEqual([]);
  });

  it('refuses to read a link standing in place of an object, rather than call it absent', async () => {
    await store.put('t/i/k', encode('x'));
    await writeFile(join(dir, 'outside'), 'forged');
    await rm(join(dir, 't', 'i', 'k'));
    await symlink(join(dir, 'outside'), join(dir, 't', 'i', 'k'));
    await expect(store.get('t/i/k')).rejects.toThrow(refusal('t/i/k', 'file'));
    await expect(collect(store.list('t/i/'))).rejects.toThrow(refusal('t/i/k', 'file'));
  });

  it('refuses to say a link is stored, in place of an object or on its path, as a read refuses it', async () => {
    // A digest probe asks `exists`, then reads what it found: a forged link counted as stored.
    await writeFile(join(dir, 'outside'), 'forged');
    await store.put('t/i/real', encode('x'));
    await symlink(join(dir, 'outside'), join(dir, 't', 'i', 'k'));
    await expect(store.exists('t/i/k')).rejects.toThrow(refusal('t/i/k', 'file'));
    await symlink(join(dir, 't', 'i'), join(dir, 't', 'day'));
    await expect(store.exists('t/day/real')).rejects.toThrow(refusal('t/day', 'folder'));
    expect(await store.exists('t/i/real')).toBe(true);
    expect(await store.exists('t/i/none')).toBe(false);
    expect(await store.exists('t/none/k')).toBe(false);
  });

  it('follows a top folder that is a link, and a root that is one: those move the lake', async () => {
    const links: string[] = [];
    const moved = await mkdtemp(join(tmpdir(), 'fs-store-moved-'));
    try {
      await new FsObjectStore(moved).put('i/k', encode('x'));
      await symlink(moved, join(dir, 't'));
      await store.put('u/k', encode('y'));
      expect(await collect(store.list(''))).toEqual(['t/i/k', 'u/k']);
      expect(await collect(store.list('t/i/'))).toEqual(['t/i/k']);
      expect(new TextDecoder().decode((await store.get('t/i/k'))?.body)).toBe('x');
      const root = join(tmpdir(), `fs-store-root-link-${process.pid}`);
      await rm(root, { force: true });
      await symlink(dir, root);
      links.push(root);
      const linked = new FsObjectStore(root);
      expect(await collect(linked.list(''))).toEqual(['t/i/k', 'u/k']);
      expect(new TextDecoder().decode((await linked.get('u/k'))?.body)).toBe('y');
    } finally {
      await rm(moved, { recursive: true, force: true });
      for (const link of links.splice(0)) await rm(link, { force: true });
    }
  });
});

describe('FsObjectStore put with both conditions', () => {
  it('needs the key to be absent and to match: never both, so it always fails', async () => {
    await expect(store.put('k', encode('v'), { ifNoneMatch: '*', ifMatch: '"x"' })).rejects.toThrow(
      PreconditionFailedError,
    );
    expect(await store.get('k')).toBeUndefined();
    const { etag } = await store.put('k', encode('v0'));
    await expect(store.put('k', encode('v1'), { ifNoneMatch: '*', ifMatch: etag })).rejects.toThrow(
      PreconditionFailedError,
    );
    expect(new TextDecoder().decode((await store.get('k'))?.body)).toBe('v0');
  });
});

describe('FsObjectStore lock timing', () => {
  const lock = () => join(dir, '.k.lock');
  /**
   * A lock held by a process of another machine, last touched at `at`: only its age can tell
   * whether it is stale (a live process of this machine's is never broken by age).
   */
  async function heldLock(atMs = Date.now(), text?: string) {
    const owner = {
      pid: process.ppid,
      host: `not-${hostname()}`,
      acquired_at: new Date(atMs).toISOString(),
      token: 't',
    };
    await writeFile(lock(), text ?? JSON.stringify(owner));
    await utimes(lock(), new Date(atMs), new Date(atMs));
  }
  /** A store on fake time starting at `startMs`, recording its sleeps. */
  function onFakeTime(startMs: number, options: FsObjectStoreOptions = {}) {
    let clock = startMs;
    const sleeps: number[] = [];
    const fake = new FsObjectStore(dir, {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      ...options,
    });
    return { store: fake, sleeps };
  }

  it('waits 2 ms, then twice as long each time up to 100 ms, each wait with up to as much again at random', async () => {
    await heldLock();
    const { store: waiting, sleeps } = onFakeTime(Date.now(), { lockTimeoutMs: 2_000 });
    await expect(waiting.put('k', encode('v'))).rejects.toThrow(/timed out/);
    const bases = sleeps.map((_, i) => Math.min(2 * 2 ** i, 100));
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(bases[i] as number);
      expect(ms).toBeLessThan(2 * (bases[i] as number));
    });
    expect(sleeps.length).toBeGreaterThan(10);
    // The random part keeps writers in several processes from retrying in step.
    expect(sleeps.filter((ms, i) => ms !== bases[i]).length).toBeGreaterThan(0);
  });

  it('gives up once the wait reaches the timeout, not one wait later', async () => {
    await heldLock();
    let clock = Date.now();
    let sleeps = 0;
    const waiting = new FsObjectStore(dir, {
      lockTimeoutMs: 1_000,
      now: () => clock,
      sleep: async () => {
        sleeps += 1;
        clock += 1_000;
      },
    });
    await expect(waiting.put('k', encode('v'))).rejects.toThrow(/timed out after 1000 ms/);
    expect(sleeps).toBe(1);
  });

  it('waits 60 s by default', async () => {
    await heldLock();
    // With the default staleLockMs the lock would be broken after 30 s of the wait.
    const { store: waiting, sleeps } = onFakeTime(Date.now(), { staleLockMs: 600_000 });
    await expect(waiting.put('k', encode('v'))).rejects.toThrow(/timed out after 60000 ms/);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
  });

  // Whole seconds: a file time in milliseconds reads back exactly.
  const touched = Math.floor(Date.now() / 1000) * 1000 - 120_000;

  it('breaks a lock older than 30 s by default, and one exactly as old as staleLockMs is still live', async () => {
    await heldLock(touched);
    const { store: young } = onFakeTime(touched + 29_000, { lockTimeoutMs: 500 });
    await expect(young.put('k', encode('v'))).rejects.toThrow(/timed out/);
    const { store: exact } = onFakeTime(touched + 10_000, { staleLockMs: 10_000, lockTimeoutMs: 0 });
    await expect(exact.put('k', encode('v'))).rejects.toThrow(/timed out/);
    const { store: old } = onFakeTime(touched + 31_000, { lockTimeoutMs: 0 });
    await old.put('k', encode('v'));
    expect(new TextDecoder().decode((await store.get('k'))?.body)).toBe('v');
  });

  it('judges a lock not yet written by its age only', async () => {
    await heldLock(Date.now(), '');
    const { store: waiting } = onFakeTime(Date.now(), { lockTimeoutMs: 500 });
    await expect(waiting.put('k', encode('v'))).rejects.toThrow(/timed out/);
  });
});
