import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LockHolder, withFileLock } from '../../functions/adapters/file-lock.ts';
import { withReadHook } from '../support/read-hook.ts';

// A waiter judges a contended lock by its owner (alive or gone), its age (`acquired_at`) and, to
// take it over, the claim named after its exact text. Each check read its own parse of the text:
// the lock is read once per judgement and parsed once, and every check takes that.

let dir: string;
let lockPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-one-read-'));
  lockPath = join(dir, '.k.lock');
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** Another machine's lock, taken `takenMsAgo` ago: only its age can judge it. */
async function foreignLock(takenMsAgo: number): Promise<string> {
  const text = JSON.stringify({
    pid: 7,
    host: 'another-host',
    acquired_at: new Date(Date.now() - takenMsAgo).toISOString(),
    token: 'theirs',
  });
  await writeFile(lockPath, text);
  return text;
}

/**
 * Runs `act` counting the reads of the lock file and the parses of `text` (the foreign lock's),
 * up to the moment `act` says (`stop`: the critical section, where this waiter's own lock is read).
 */
async function counted<R>(text: string, act: (stop: () => void) => Promise<R>) {
  const counts = { reads: 0, parses: 0 };
  let counting = true;
  const parse = JSON.parse;
  vi.spyOn(JSON, 'parse').mockImplementation((source: string, reviver) => {
    if (counting && source === text) counts.parses++;
    return parse(source, reviver);
  });
  const result = await withReadHook(
    (path) => {
      if (counting && path === lockPath) counts.reads++;
    },
    () =>
      act(() => {
        counting = false;
      }),
  );
  return { counts, result };
}

describe('withFileLock: one judgement of a contended lock', () => {
  it('reads and parses a lock it keeps once, for its owner, its age and its holder', async () => {
    const text = await foreignLock(1_000);
    const holders: (LockHolder | undefined)[] = [];
    const { counts } = await counted(text, () =>
      withFileLock(
        lockPath,
        {
          staleMs: 30_000,
          // No wait: the one judgement, then the time-out with the holder it read.
          timeoutMs: 0,
          timedOut: (holder) => {
            holders.push(holder);
            return new Error('timed out');
          },
        },
        async () => 'in',
      ).catch((error: unknown) => error),
    );
    expect(counts).toEqual({ reads: 1, parses: 1 });
    expect(holders).toEqual([{ pid: 7, host: 'another-host', acquiredAt: JSON.parse(text).acquired_at }]);
  });

  it('parses a stale lock once to take it over (read again only by the claim, to see it is still there)', async () => {
    const text = await foreignLock(31_000);
    const { counts, result } = await counted(text, (stop) =>
      withFileLock(
        lockPath,
        { staleMs: 30_000, timeoutMs: 0, timedOut: () => new Error('timed out') },
        async () => {
          stop();
          return 'in';
        },
      ),
    );
    expect(result).toBe('in');
    expect(counts).toEqual({ reads: 2, parses: 1 });
  });
});
