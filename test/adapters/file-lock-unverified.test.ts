import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withFileLock } from '../../functions/adapters/file-lock.ts';
import { type ProcessIdentity, procIdentity } from '../../functions/adapters/process-identity.ts';

// A lock that records no start time (a mailer lock of an earlier version, `{pid, host, at}`, or
// any lock written where /proc is missing, as on macOS) whose pid now belongs to an unrelated live
// process was judged alive for ever: every write then failed until the lock was removed by hand.
// Its owner cannot be checked, so its age judges it, as the earlier versions did; on Linux a pid
// whose process started after the lock was written is another process, and the lock is broken.

let dir: string;
let lockPath: string;
let live: ChildProcess;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-unverified-'));
  lockPath = join(dir, '.file-set.lock');
  live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  await new Promise((resolve) => live.once('spawn', resolve));
});
afterEach(async () => {
  live.kill();
  await rm(dir, { recursive: true, force: true });
});

const noProc: ProcessIdentity = {
  pidNamespace: () => undefined,
  bootId: () => undefined,
  startTime: () => undefined,
  startedAtMs: () => undefined,
};

const STALE_MS = 600_000;

/** Takes the lock waiting up to 1 s, with waits that only move the clock. */
function take(identity: ProcessIdentity) {
  const clock = { ms: Date.now() };
  const options = {
    staleMs: STALE_MS,
    timeoutMs: 1_000,
    identity,
    timedOut: () => new Error('timed out'),
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.ms += ms;
    },
  };
  return withFileLock(lockPath, options, async () => 'in');
}

/**
 * A lock naming the live process, written `msAgo` ago (its file as old): as the earlier mailer
 * wrote it (`at`), or as this version writes it where /proc is missing (no namespace, no start).
 */
async function lockOfLive(writer: 'an earlier mailer' | 'a run without /proc', msAgo: number) {
  const at = new Date(Date.now() - msAgo);
  const written =
    writer === 'an earlier mailer'
      ? { at: at.toISOString() }
      : { acquired_at: at.toISOString(), token: 'theirs' };
  await writeFile(lockPath, JSON.stringify({ pid: live.pid, host: hostname(), ...written }));
  await utimes(lockPath, at, at);
}

describe('withFileLock: a lock whose live pid cannot be told from its owner', () => {
  it.each(['an earlier mailer', 'a run without /proc'] as const)(
    'written by %s is kept while young and broken once older than the stale age',
    async (writer) => {
      await lockOfLive(writer, 60_000);
      await expect(take(noProc)).rejects.toThrow('timed out');
      await lockOfLive(writer, STALE_MS + 60_000);
      expect(await take(noProc)).toBe('in');
      expect(await readdir(dir)).toEqual([]);
    },
  );
});

describe.runIf(existsSync('/proc/self/stat'))('withFileLock on Linux: a lock with no start time', () => {
  it('is broken at once when its pid runs a process started after the lock was written', async () => {
    await lockOfLive('an earlier mailer', 60_000);
    expect(await take(procIdentity)).toBe('in');
    await lockOfLive('a run without /proc', 60_000);
    expect(await take(procIdentity)).toBe('in');
  });

  it('is kept while young when the process at its pid may be its owner (started before it)', async () => {
    await lockOfLive('a run without /proc', 0);
    await expect(take(procIdentity)).rejects.toThrow('timed out');
    const started = procIdentity.startedAtMs?.(live.pid ?? 0) ?? Number.NaN;
    expect(Math.abs(started - Date.now())).toBeLessThan(10_000);
  });

  it('is kept while young after the clock stepped forward seconds since it was written', async () => {
    await lockOfLive('an earlier mailer', 0);
    const realNow = Date.now.bind(Date);
    const stepped = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 5_000);
    try {
      await expect(take(procIdentity)).rejects.toThrow('timed out');
    } finally {
      stepped.mockRestore();
    }
  });
});
