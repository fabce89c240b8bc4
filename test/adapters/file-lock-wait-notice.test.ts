import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BrokenLock,
  type FileLockOptions,
  type LockWait,
  withFileLock,
} from '../../functions/adapters/file-lock.ts';

// A lock whose holder cannot be checked (another machine's or container's) was waited for up to
// its stale age (30 s on a lake) without a word, even with --verbose: the command looked hung. A
// waiter now says so once a wait has lasted a moment, and says when it broke a lock.

let dir: string;
let lockPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-wait-notice-'));
  lockPath = join(dir, '.k.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Options with a clock that only the waits move, recording what the waiter is told. */
function watched(timeoutMs: number) {
  const clock = { ms: Date.now() };
  const waits: LockWait[] = [];
  const broken: BrokenLock[] = [];
  const options: FileLockOptions = {
    staleMs: 30_000,
    timeoutMs,
    timedOut: () => new Error('timed out'),
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.ms += ms;
    },
    onWait: (wait) => waits.push(wait),
    onBroken: (lock) => broken.push(lock),
  };
  return { clock, waits, broken, options, startedMs: clock.ms };
}

describe('withFileLock: a wait is told, and a broken lock', () => {
  it("tells once, after 2 s, whose lock another machine's is and when it is broken; then that it broke it", async () => {
    const run = watched(60_000);
    const acquiredAt = new Date(run.startedMs).toISOString();
    await writeFile(
      lockPath,
      JSON.stringify({ pid: 1, host: 'othervm', acquired_at: acquiredAt, token: 'a'.repeat(24) }),
    );

    expect(await withFileLock(lockPath, run.options, async () => 'in')).toBe('in');

    expect(run.waits).toHaveLength(1);
    const [wait] = run.waits;
    expect(wait?.holder).toEqual({ pid: 1, host: 'othervm', acquiredAt });
    expect(wait?.waitedMs).toBeGreaterThanOrEqual(2_000);
    expect(wait?.waitedMs).toBeLessThan(5_000);
    expect(wait?.breaksAtMs).toBe(run.startedMs + 30_000);
    expect(wait?.givesUpAtMs).toBe(run.startedMs + 60_000);
    expect(run.broken).toEqual([{ holder: { pid: 1, host: 'othervm', acquiredAt }, why: 'old' }]);
  });

  it('tells of a live holder that it is not broken, only given up on, and breaks nothing', async () => {
    const run = watched(3_000);
    await withFileLock(lockPath, { ...run.options, onWait: undefined, onBroken: undefined }, async () => {
      await expect(withFileLock(lockPath, run.options, async () => 'twice')).rejects.toThrow('timed out');
    });
    expect(run.waits).toHaveLength(1);
    expect(run.waits[0]).toMatchObject({
      holder: { pid: process.pid, host: hostname() },
      breaksAtMs: undefined,
      givesUpAtMs: run.startedMs + 3_000,
    });
    expect(run.broken).toEqual([]);
  });

  it('tells nothing of a wait shorter than 2 s', async () => {
    const run = watched(1_500);
    await withFileLock(lockPath, { ...run.options, onWait: undefined }, async () => {
      await expect(withFileLock(lockPath, run.options, async () => 'twice')).rejects.toThrow('timed out');
    });
    expect(run.waits).toEqual([]);
  });

  it('tells at once that it broke the lock of a process of this machine that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.once('exit', resolve));
    const run = watched(60_000);
    const acquiredAt = new Date(run.startedMs).toISOString();
    await writeFile(
      lockPath,
      JSON.stringify({ pid, host: hostname(), acquired_at: acquiredAt, token: 'b'.repeat(24) }),
    );

    expect(await withFileLock(lockPath, run.options, async () => 'in')).toBe('in');

    expect(run.waits).toEqual([]);
    expect(run.broken).toEqual([{ holder: { pid, host: hostname(), acquiredAt }, why: 'gone' }]);
  });

  it('goes on when a listener throws: it only watches the write', async () => {
    const run = watched(60_000);
    const acquiredAt = new Date(run.startedMs).toISOString();
    await writeFile(
      lockPath,
      JSON.stringify({ pid: 1, host: 'othervm', acquired_at: acquiredAt, token: 'c'.repeat(24) }),
    );
    const throwing: FileLockOptions = {
      ...run.options,
      onWait: () => {
        throw new Error('stderr closed');
      },
      onBroken: () => {
        throw new Error('stderr closed');
      },
    };
    expect(await withFileLock(lockPath, throwing, async () => 'in')).toBe('in');
  });
});
