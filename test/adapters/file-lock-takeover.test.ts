import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileLockOptions, withFileLock } from '../../functions/adapters/file-lock.ts';
import { deferred } from '../support/deferred.ts';
import { withReadHook } from '../support/read-hook.ts';

// Two waiters that both judged one dead holder's lock stale must not both take it over: the second
// to act used to move (or remove) the lock the first had meanwhile taken, leaving the key unlocked
// while the first was inside, for a third to get in beside it. The lock's steps are file system
// calls, so the test steps in between them by wrapping node:fs/promises' readFile
// (syncBuiltinESMExports carries the wrapper to the lock's import).

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-lock-takeover-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const timedOut = () => new Error('timed out');
/** A lock of this machine whose process is gone (pids are below 2^22 on Linux). */
const deadLock = JSON.stringify({
  pid: 2 ** 22 + 7,
  host: hostname(),
  acquired_at: new Date().toISOString(),
  token: 'dead',
});
const tokenAt = async (path: string) =>
  (JSON.parse(await readFile(path, 'utf8')) as { token?: string }).token;

/** The claim files a waiter makes on the dead lock at `lockPath`, seen while it takes it over. */
async function claimsOnDeadLock(lockPath: string): Promise<string[]> {
  await writeFile(lockPath, deadLock);
  const claims: string[] = [];
  const onRead = async (path: string) => {
    if (path === lockPath) claims.push(...readdirSync(dir).filter((name) => name.endsWith('.claim')));
  };
  await withReadHook(onRead, () =>
    withFileLock(lockPath, { staleMs: 30_000, timeoutMs: 1_000, timedOut }, async () => {}),
  );
  return claims;
}

describe('withFileLock: a stale lock is taken over once', () => {
  it('by one of two waiters that both judged it stale; the other waits for the winner', async () => {
    const lockPath = join(dir, '.k.lock');
    await writeFile(lockPath, deadLock);
    const bJudged = deferred();
    const aInside = deferred();
    const bWaits = deferred();
    const events: string[] = [];
    let staleReads = 0;
    let b: Promise<unknown> = Promise.resolve();
    const bOptions: FileLockOptions = {
      staleMs: 30_000,
      timeoutMs: 2_000,
      timedOut,
      sleep: async (ms) => {
        bWaits.resolve();
        await delay(ms);
      },
    };
    const judging = async () => {
      staleReads += 1;
      // A has judged the dead lock: B comes and judges it too, then acts once A holds the lock.
      if (staleReads === 1) {
        b = withFileLock(lockPath, bOptions, async () => {
          events.push('b');
        });
        await bJudged.promise;
      } else if (staleReads === 2) {
        bJudged.resolve();
        await aInside.promise;
      }
    };
    const onRead = async (path: string, text: string) => {
      if (path === lockPath && text === deadLock) await judging();
      // A lock other than the dead one moved aside: a third writer takes the free path meanwhile.
      if (path.endsWith('.stale') && text !== deadLock) {
        const third = { pid: process.ppid, host: hostname(), acquired_at: new Date().toISOString() };
        await writeFile(lockPath, JSON.stringify({ ...third, token: 'third' }), { flag: 'wx' });
      }
    };
    await withReadHook(onRead, async () => {
      const a = withFileLock(lockPath, { staleMs: 30_000, timeoutMs: 2_000, timedOut }, async () => {
        const mine = await tokenAt(lockPath);
        aInside.resolve();
        await bWaits.promise;
        // B has acted on what it judged, and waits: A still holds the lock it took.
        expect(await tokenAt(lockPath)).toBe(mine);
        events.push('a');
      });
      await a;
      await b;
    });
    expect(events).toEqual(['a', 'b']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over when the waiter taking it over died doing so, leaving its claim', async () => {
    const lockPath = join(dir, '.k.lock');
    const claims = await claimsOnDeadLock(lockPath);
    expect(claims).toHaveLength(1);

    // The same dead lock again, and the claim of a waiter killed while taking it over.
    await writeFile(lockPath, deadLock);
    const killed = {
      pid: 2 ** 22 + 9,
      host: hostname(),
      acquired_at: new Date().toISOString(),
      token: 'killed',
    };
    await writeFile(join(dir, claims[0] ?? ''), JSON.stringify(killed));
    const ran: string[] = [];
    await withFileLock(lockPath, { staleMs: 30_000, timeoutMs: 1_000, timedOut }, async () => {
      ran.push('in');
    });
    expect(ran).toEqual(['in']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("leaves a live waiter's claim and the lock it is taking over, and waits", async () => {
    const lockPath = join(dir, '.k.lock');
    const claims = await claimsOnDeadLock(lockPath);
    await writeFile(lockPath, deadLock);
    const live = {
      pid: process.ppid,
      host: hostname(),
      acquired_at: new Date().toISOString(),
      token: 'live',
    };
    await writeFile(join(dir, claims[0] ?? ''), JSON.stringify(live));
    await expect(
      withFileLock(lockPath, { staleMs: 30_000, timeoutMs: 200, timedOut }, async () => {}),
    ).rejects.toThrow('timed out');
    expect(await readFile(lockPath, 'utf8')).toBe(deadLock);
  });
});
