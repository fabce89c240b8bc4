import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileLockOptions, withFileLock } from '../../functions/adapters/file-lock.ts';

// A lock whose owner cannot be checked (another machine's, here) is judged by its age. The file's
// mtime is the file system's clock (a shared disk's server, or whatever a copy or restore set), not
// the owner's: a lock written just now on a server whose clock is behind looked old, and was broken
// under its live owner. The age is that of the time the owner wrote into the lock.

let dir: string;
let lockPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-age-'));
  lockPath = join(dir, '.k.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options: FileLockOptions = { staleMs: 30_000, timeoutMs: 100, timedOut: () => new Error('timed out') };

/** Another machine's lock taken `takenMsAgo` ago by its clock, whose file's mtime is `mtimeMsAgo` old. */
async function foreignLock(takenMsAgo: number, mtimeMsAgo: number) {
  const taken = new Date(Date.now() - takenMsAgo).toISOString();
  await writeFile(
    lockPath,
    JSON.stringify({ pid: 7, host: 'another-host', acquired_at: taken, token: 'theirs' }),
  );
  const mtime = new Date(Date.now() - mtimeMsAgo);
  await utimes(lockPath, mtime, mtime);
}

const entered = () => withFileLock(lockPath, options, async () => 'in');

describe('withFileLock: the age of a lock whose owner cannot be checked', () => {
  it("is the time written into it: a fresh lock is kept whatever the file's mtime says", async () => {
    await foreignLock(0, 10 * 60_000);
    await expect(entered()).rejects.toThrow('timed out');
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ token: 'theirs' });
  });

  it('is the time written into it: an old lock is broken, though its file was just written', async () => {
    await foreignLock(31_000, 0);
    expect(await entered()).toBe('in');
  });

  it('is the mtime for a lock with no time in it (not written yet), or a time too far ahead to be right', async () => {
    await writeFile(lockPath, '');
    const old = new Date(Date.now() - 31_000);
    await utimes(lockPath, old, old);
    expect(await entered()).toBe('in');

    await foreignLock(-24 * 3_600_000, 31_000);
    expect(await entered()).toBe('in');
  });
});
