import { spawn } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { type ProcessIdentity, procIdentity } from '../../functions/adapters/process-identity.ts';
import { dirPerTest, encode } from '../support/dir-per-test.ts';

// A hostname is no proof of one pid space. Containers sharing a lake directory and a hostname
// (host networking, an explicit hostname) each have their own pid namespace, where the lock's pid
// is another process or none (two writers both pid 12 broke each other's lock on every contended
// write, losing increments); and a dead writer's pid, reused by a live process, kept its lock
// "alive" for ever. The lock records the writer's pid namespace, boot and start time: a lock of
// another namespace or boot is judged by age, one whose pid now runs a later process is broken.

let dir: string;
dirPerTest('fs-store-identity-', (made) => {
  dir = made;
});

const lockOf = (key: string) => join(dir, `.${key}.lock`);

/** Identity of a process in namespace `ns`, boot `boot`, whose every pid started at `started`. */
const identityOf = (ns: string, boot = 'boot-1', started = '100'): ProcessIdentity => ({
  pidNamespace: () => ns,
  bootId: () => boot,
  startTime: () => started,
  startedAtMs: () => undefined,
});

/** A writer whose waits only move its clock; gives up after 1 s. */
const writer = (identity: ProcessIdentity) => {
  const clock = { ms: Date.now() };
  return new FsObjectStore(dir, {
    identity,
    lockTimeoutMs: 1_000,
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.ms += ms;
    },
  });
};

const lock = (fields: Record<string, unknown>) =>
  writeFile(
    lockOf('k'),
    JSON.stringify({ host: hostname(), acquired_at: new Date().toISOString(), token: 'theirs', ...fields }),
  );

/** Makes the lock `ms` old: the time its owner wrote into it (what judges its age), and its mtime. */
async function ageLock(ms: number) {
  const old = new Date(Date.now() - ms);
  const taken = JSON.parse(await readFile(lockOf('k'), 'utf8')) as Record<string, unknown>;
  await writeFile(lockOf('k'), JSON.stringify({ ...taken, acquired_at: old.toISOString() }));
  await utimes(lockOf('k'), old, old);
}

describe('FsObjectStore lock of a writer with the same hostname', () => {
  it('of another pid namespace with this process pid is judged by age, not broken at once', async () => {
    await lock({ pid: process.pid, pid_ns: 'pid:[2]', boot_id: 'boot-1', started: '100' });
    await expect(writer(identityOf('pid:[1]')).put('k', encode('v'))).rejects.toThrow(
      /timed out .*names its host and pid.*see docs\/operations\.md, section "Local lake: timed out … waiting for the write lock"/,
    );
    const runbook = await readFile(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    expect(runbook).toContain('### Local lake: timed out … waiting for the write lock\n');
    await ageLock(31_000);
    await writer(identityOf('pid:[1]')).put('k', encode('v'));
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('of another pid namespace whose pid is not running here is judged by age', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await lock({ pid: dead.pid, pid_ns: 'pid:[2]', boot_id: 'boot-1', started: '100' });
    await expect(writer(identityOf('pid:[1]')).put('k', encode('v'))).rejects.toThrow(/timed out/);
  });

  it('of another boot (or a machine with the same hostname) is judged by age', async () => {
    await lock({ pid: process.ppid, pid_ns: 'pid:[1]', boot_id: 'boot-0', started: '1' });
    await expect(writer(identityOf('pid:[1]')).put('k', encode('v'))).rejects.toThrow(/timed out/);
  });

  it('is broken at once when its pid now runs a process started later (a reused pid)', async () => {
    await lock({ pid: process.ppid, pid_ns: 'pid:[1]', boot_id: 'boot-1', started: '99' });
    await writer(identityOf('pid:[1]', 'boot-1', '100')).put('k', encode('v'));
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('of a live process of this namespace is kept however old', async () => {
    await lock({ pid: process.ppid, pid_ns: 'pid:[1]', boot_id: 'boot-1', started: '100' });
    await ageLock(600_000);
    await expect(writer(identityOf('pid:[1]')).put('k', encode('v'))).rejects.toThrow(/timed out/);
  });

  it('written by an earlier version (no namespace) with a running pid is judged by age', async () => {
    await lock({ pid: process.ppid });
    await expect(writer(identityOf('pid:[1]', 'boot-1', '1')).put('k', encode('v'))).rejects.toThrow(
      /timed out/,
    );
    await ageLock(31_000);
    await writer(identityOf('pid:[1]', 'boot-1', '1')).put('k', encode('v'));
    expect(await readdir(dir)).toEqual(['k']);
  });
});

describe.runIf(existsSync('/proc/self/ns/pid'))('FsObjectStore lock identity read from /proc', () => {
  it('records this process namespace and start time, and tells a live process from a reused pid', async () => {
    // The lock a real writer leaves, read from inside its critical section.
    const store = new FsObjectStore(dir);
    let written: Record<string, unknown> = {};
    await store.put('k', encode('v0'));
    const spy = store.get.bind(store);
    store.get = async (key) => {
      written = JSON.parse(await readFile(lockOf('k'), 'utf8')) as Record<string, unknown>;
      return spy(key);
    };
    await store.put('k', encode('v1'), { ifMatch: '"any"' }).catch(() => undefined);
    expect(written.pid_ns).toBe(readlinkSync('/proc/self/ns/pid'));
    expect(written.started).toMatch(/^\d+$/);

    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const pid = live.pid ?? 0;
      const started = procIdentity.startTime(pid);
      expect(started).toMatch(/^\d+$/);
      const same = { pid, pid_ns: written.pid_ns, boot_id: written.boot_id };
      await lock({ ...same, started });
      await ageLock(600_000);
      await expect(writer(procIdentity).put('k', encode('v'))).rejects.toThrow(/timed out/);
      await lock({ ...same, started: String(Number(started) - 1) });
      await writer(procIdentity).put('k', encode('v2'));
      expect(await readdir(dir)).toEqual(['k']);
    } finally {
      live.kill();
    }
  });
});
