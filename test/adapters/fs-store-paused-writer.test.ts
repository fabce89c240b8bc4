import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { procIdentity } from '../../functions/adapters/process-identity.ts';

// A writer of this machine that is paused inside its compare and rename (Ctrl-Z, a laptop asleep)
// for longer than staleLockMs still holds its lock: breaking it by age let a second writer's
// conditional put succeed on the version the first then overwrote, both reporting success. On
// this machine a lock is broken only once its owner process is gone; age judges only the locks of
// another machine, or ones that cannot be read.

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);
const etagOf = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;

/** A store that runs `beforeNextGet` once, inside the next `get`: the conditional put's critical section. */
class PausingStore extends FsObjectStore {
  beforeNextGet: (() => Promise<void>) | undefined;

  override async get(key: string) {
    const hook = this.beforeNextGet;
    this.beforeNextGet = undefined;
    if (hook) await hook();
    return super.get(key);
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-store-paused-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A writer whose clock runs from `clock.ms` and whose waits only move it; gives up after 1 s. */
const writerOn = (clock: { ms: number }) =>
  new FsObjectStore(dir, {
    lockTimeoutMs: 1_000,
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.ms += ms;
    },
  });

const lockOf = (key: string) => join(dir, `.${key}.lock`);
const owner = (pid: number, host = hostname()) =>
  JSON.stringify({ pid, host, acquired_at: new Date().toISOString(), token: 'theirs' });

/** Makes the lock `ms` old: the time its owner wrote into it (what judges its age), and its mtime. */
async function ageLock(key: string, ms: number) {
  const old = new Date(Date.now() - ms);
  const text = await readFile(lockOf(key), 'utf8');
  if (text.startsWith('{')) {
    await writeFile(lockOf(key), JSON.stringify({ ...JSON.parse(text), acquired_at: old.toISOString() }));
  }
  await utimes(lockOf(key), old, old);
}

describe('FsObjectStore lock of a live writer of this machine', () => {
  it('is not broken by age while its writer is paused in its critical section', async () => {
    const clock = { ms: Date.now() };
    const paused = new PausingStore(dir, { now: () => clock.ms });
    const other = writerOn(clock);
    const { etag } = await paused.put('k', encode('v1'), { ifNoneMatch: '*' });
    let otherPut: Promise<unknown> = Promise.resolve();
    paused.beforeNextGet = async () => {
      // The paused writer holds the lock; 31 s go by before it compares and renames.
      clock.ms += 31_000;
      otherPut = other.put('k', encode('v1+b'), { ifMatch: etag });
      await otherPut.catch(() => undefined);
    };
    await paused.put('k', encode('v1+a'), { ifMatch: etag });
    await expect(otherPut).rejects.toThrow(/timed out after 1000 ms waiting for the write lock/);
    expect(decode((await paused.get('k'))?.body)).toBe('v1+a');
    // The other writer, retrying on what it reads now, builds on the paused one's version.
    await other.put('k', encode('v1+a+b'), { ifMatch: etagOf('v1+a') });
    expect(decode((await other.get('k'))?.body)).toBe('v1+a+b');
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('of another process still running is not broken by age either', async () => {
    // As a writer of this machine writes it: its pid namespace, boot and start time name it.
    const identity = {
      pid_ns: procIdentity.pidNamespace(),
      boot_id: procIdentity.bootId(),
      started: procIdentity.startTime(process.ppid),
    };
    await writeFile(lockOf('k'), JSON.stringify({ ...JSON.parse(owner(process.ppid)), ...identity }));
    await ageLock('k', 600_000);
    await expect(writerOn({ ms: Date.now() }).put('k', encode('v'))).rejects.toThrow(/timed out/);
  });

  it('is broken at once when its process is gone, however young', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(lockOf('k'), owner(dead.pid ?? 0));
    await writerOn({ ms: Date.now() }).put('k', encode('v'));
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('is broken at once when it names this process but none of its writers holds it (a failed release)', async () => {
    await writeFile(lockOf('k'), owner(process.pid));
    await writerOn({ ms: Date.now() }).put('k', encode('v'));
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('of another machine, or not readable, is broken by age', async () => {
    await writeFile(lockOf('k'), owner(process.ppid, 'another-host'));
    const clock = { ms: Date.now() };
    await expect(writerOn(clock).put('k', encode('v'))).rejects.toThrow(/timed out/);
    await ageLock('k', 31_000);
    await writerOn({ ms: Date.now() }).put('k', encode('v'));
    await writeFile(lockOf('k'), 'not json');
    await ageLock('k', 31_000);
    await writerOn({ ms: Date.now() }).put('k', encode('v2'));
    expect(decode((await writerOn(clock).get('k'))?.body)).toBe('v2');
  });
});
