import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../functions/adapters/file-lock.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';

// `ingest --verbose` against a lake whose state lock was another machine's sat silent for 29 s
// between "ingest run finished" and its summary. The store now says whose lock it waits for and
// until when, and that it broke it.

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-lock-notice-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const lockPathOf = (key: string) => {
  const slash = key.lastIndexOf('/');
  return join(root, key.slice(0, slash), `.${key.slice(slash + 1)}.lock`);
};

/** A store whose waits move `clock` on, and the lock notices it gives. */
const storeOnClock = (clock: { ms: number }) => {
  const lines: string[] = [];
  const store = new FsObjectStore(root, {
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.ms += ms;
    },
    onLockNotice: (line) => lines.push(line),
  });
  return { store, lines };
};

describe('FsObjectStore: a write waiting for a lock says so', () => {
  it("names another machine's lock, its holder and when it is broken, then that it broke it", async () => {
    const clock = { ms: Date.UTC(2026, 11, 3, 2, 0, 0) };
    const key = 'state/instance=main/last-run.json';
    await mkdir(join(root, 'state/instance=main'), { recursive: true });
    const acquiredAt = new Date(clock.ms).toISOString();
    await writeFile(
      lockPathOf(key),
      JSON.stringify({ pid: 1, host: 'othervm', acquired_at: acquiredAt, token: 'a'.repeat(24) }),
    );
    const { store, lines } = storeOnClock(clock);

    await store.put(key, new TextEncoder().encode('{}'));

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^waiting for the write lock ${lockPathOf(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, held by process 1 on othervm since 2026-12-03T02:00:00.000Z: that process cannot be checked from here \\(another host, container or boot\\), so the lock is broken at 2026-12-03T02:00:30Z \\(in 2[78] s\\) unless it is released first$`,
      ),
    );
    expect(lines[1]).toBe(
      `broke the write lock ${lockPathOf(key)} of process 1 on othervm since ${acquiredAt}: it was over 30 s old and that process cannot be checked from here; if it still runs, stop it (it may write the same key)`,
    );
  });

  it("puts a lock file's host and time on the line without their control characters", async () => {
    const clock = { ms: Date.UTC(2026, 11, 3, 2, 0, 0) };
    const key = 'state/instance=main/last-run.json';
    await mkdir(join(root, 'state/instance=main'), { recursive: true });
    // Anyone who can write the lake can write a lock file; its text reaches the terminal.
    await writeFile(
      lockPathOf(key),
      JSON.stringify({
        pid: 1,
        host: 'nas\r\u001b[2K\u001b]0;owned\u0007verify main: ok',
        acquired_at: new Date(clock.ms).toISOString(),
        token: 'a'.repeat(24),
      }),
    );
    const { store, lines } = storeOnClock(clock);
    await store.put(key, new TextEncoder().encode('{}'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect([...line].filter((c) => c < ' ' || c === '\u007f')).toEqual([]);
      expect(line).toContain('on nas [2K]0;ownedverify main: ok since 2026-12-03T02:00:00.000Z');
    }
  });

  it('names a live holder and when the write gives up', async () => {
    const clock = { ms: Date.UTC(2026, 11, 3, 2, 0, 0) };
    const options = {
      now: () => clock.ms,
      sleep: async (ms: number) => {
        clock.ms += ms;
      },
      lockTimeoutMs: 5_000,
    };
    const lines: string[] = [];
    const holder = new FsObjectStore(root, options);
    const waiter = new FsObjectStore(root, { ...options, onLockNotice: (line) => lines.push(line) });
    // The lock is held (by this process: checked, and running) while the waiter's write times out.
    const key = 'state/instance=main/checkpoint.json';
    await holder.put(key, new TextEncoder().encode('{}'));
    await withFileLock(
      lockPathOf(key),
      { staleMs: 30_000, timeoutMs: 1_000, timedOut: () => new Error('not taken') },
      async () => {
        await expect(waiter.put(key, new TextEncoder().encode('{"b":1}'))).rejects.toThrow('timed out');
      },
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /: that process still runs; this write gives up at 2026-12-03T02:00:05Z \(in [23] s\) unless it is released$/,
    );
  });
});
