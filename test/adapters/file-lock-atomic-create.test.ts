import fs from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../functions/adapters/file-lock.ts';

// A lock or claim file was created empty (open 'wx') and then written: a holder killed in between
// left an empty file, which names no owner and was judged by its mtime alone (10 minutes in the
// mail folder, 30 s in the store) although its owner was dead. The file now appears with its
// content. The test stops a taker after each of its file system calls in turn, as a kill there
// would, and looks at what it left.

type Promises = typeof fs.promises;
const HOOKED = ['open', 'writeFile', 'link', 'rename', 'rm', 'unlink', 'readFile', 'stat'] as const;

/**
 * Makes the `killAt`-th call of node:fs/promises on a path under `dir` never return once it is
 * done, as if its process were killed there; `stopped` resolves then. `restore` undoes it.
 */
function stopAfterCall(dir: string, killAt: number) {
  const originals = new Map(HOOKED.map((name) => [name, fs.promises[name]]));
  let calls = 0;
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  for (const name of HOOKED) {
    const original = originals.get(name) as (...args: unknown[]) => Promise<unknown>;
    const hooked = async (...args: unknown[]) => {
      if (!String(args[0]).startsWith(dir)) return original(...args);
      calls += 1;
      if (calls !== killAt) return original(...args);
      await original(...args).catch(() => undefined);
      stop();
      return new Promise(() => {});
    };
    (fs.promises as unknown as Record<string, unknown>)[name] = hooked;
  }
  syncBuiltinESMExports();
  const restore = () => {
    for (const [name, original] of originals)
      (fs.promises as Record<keyof Promises, unknown>)[name] = original;
    syncBuiltinESMExports();
  };
  return { stopped, restore };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-create-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A lock of this machine whose process is gone (pids are below 2^22 on Linux): taken over by a claim. */
const deadLock = JSON.stringify({
  pid: 2 ** 22 + 7,
  host: hostname(),
  acquired_at: new Date().toISOString(),
  token: 'dead',
});

describe('withFileLock: a taker killed at any point', () => {
  it('leaves no empty lock or claim file, only whole ones (and temp files)', async () => {
    const lockPath = join(dir, '.k.lock');
    let finished = false;
    let leftTemp = false;
    for (let killAt = 1; !finished && killAt < 40; killAt++) {
      await rm(dir, { recursive: true, force: true });
      await fs.promises.mkdir(dir);
      await writeFile(lockPath, deadLock);
      const { stopped, restore } = stopAfterCall(dir, killAt);
      const taking = withFileLock(
        lockPath,
        { staleMs: 30_000, timeoutMs: 1_000, timedOut: () => new Error('timed out') },
        async () => {},
      );
      try {
        finished = await Promise.race([stopped.then(() => false), taking.then(() => true)]);
      } finally {
        restore();
      }
      for (const name of await readdir(dir)) {
        if (name.endsWith('.tmp')) leftTemp = true;
        if (!/\.(?:lock|claim)$/.test(name)) continue;
        const text = await readFile(join(dir, name), 'utf8');
        expect(text, `${name} after call ${killAt}`).not.toBe('');
        expect(JSON.parse(text), `${name} after call ${killAt}`).toHaveProperty('pid');
      }
    }
    expect(finished).toBe(true);
    // Stopped between writing its content and linking it: only its own temp file was there.
    expect(leftTemp).toBe(true);
  });

  it('removes its temp file when writing it fails (a full disk), leaving the folder as it was', async () => {
    const lockPath = join(dir, '.k.lock');
    const original = fs.promises.writeFile;
    // As on a full disk: the exclusive create succeeds, the write of the content does not.
    fs.promises.writeFile = (async (path: Parameters<Promises['writeFile']>[0]) => {
      await original(path, '', { flag: 'wx' });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as Promises['writeFile'];
    syncBuiltinESMExports();
    try {
      const options = { staleMs: 30_000, timeoutMs: 100, timedOut: () => new Error('timed out') };
      await expect(withFileLock(lockPath, options, async () => 'held')).rejects.toThrow('ENOSPC');
    } finally {
      fs.promises.writeFile = original;
      syncBuiltinESMExports();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes the lock by an exclusive create where the file system has no hard links', async () => {
    const lockPath = join(dir, '.k.lock');
    const original = fs.promises.link;
    fs.promises.link = async () => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    };
    syncBuiltinESMExports();
    try {
      const options = { staleMs: 30_000, timeoutMs: 100, timedOut: () => new Error('timed out') };
      const inside = await withFileLock(lockPath, options, async () => {
        const owner = JSON.parse(await readFile(lockPath, 'utf8')) as { pid?: number };
        await expect(withFileLock(lockPath, options, async () => 'twice')).rejects.toThrow('timed out');
        return owner.pid;
      });
      expect(inside).toBe(process.pid);
    } finally {
      fs.promises.link = original;
      syncBuiltinESMExports();
    }
    expect(await readdir(dir)).toEqual([]);
  });
  it('puts back a lock its release moved aside that was not its own, where links are missing', async () => {
    const lockPath = join(dir, '.k.lock');
    const foreign = JSON.stringify({
      pid: 1,
      host: 'elsewhere',
      acquired_at: new Date().toISOString(),
      token: 'theirs',
    });
    const original = { link: fs.promises.link, rename: fs.promises.rename };
    try {
      await withFileLock(
        lockPath,
        { staleMs: 30_000, timeoutMs: 100, timedOut: () => new Error('timed out') },
        async () => {
          fs.promises.link = async () => {
            throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
          };
          // Between the release's look at its token and its move, another writer's lock took the path.
          fs.promises.rename = async (from, to) => {
            if (from === lockPath) await writeFile(lockPath, foreign);
            return original.rename(from, to);
          };
          syncBuiltinESMExports();
        },
      );
    } finally {
      Object.assign(fs.promises, original);
      syncBuiltinESMExports();
    }
    expect(await readFile(lockPath, 'utf8')).toBe(foreign);
  });
});
