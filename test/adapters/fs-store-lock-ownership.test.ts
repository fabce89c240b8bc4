import { createHash } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { deferred } from '../support/deferred.ts';

// A writer whose lock was broken as stale (it stalled past staleLockMs) must not remove the lock
// of the writer that took it over when it finally releases: that would let a third writer in while
// the second is still comparing and renaming.

const encode = (text: string) => new TextEncoder().encode(text);
/** The store's ETag: the quoted MD5 of the bytes, as S3 gives it. */
const etagOf = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;
const decode = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

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
  dir = await mkdtemp(join(tmpdir(), 'fs-store-owner-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A writer on fake time that gives up after one simulated second of waiting for the lock. */
const impatient = () => {
  let clock = Date.now();
  return new FsObjectStore(dir, {
    lockTimeoutMs: 1_000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
};

describe('FsObjectStore lock ownership', () => {
  it('a writer whose lock was taken over leaves the lock of the writer that took it over', async () => {
    const { etag } = await new FsObjectStore(dir).put('k', encode('v0'));
    // A's lock reads as another machine's, and B's clock runs a minute ahead: A's fresh lock looks
    // stale to B, so B breaks it and takes it (a lock of this machine's live process never is).
    const first = new PausingStore(dir);
    const second = new PausingStore(dir, { now: () => Date.now() + 60_000 });
    const secondHolds = deferred();
    const secondMayGoOn = deferred();
    let secondPut: Promise<unknown> = Promise.resolve();
    second.beforeNextGet = async () => {
      secondHolds.resolve();
      await secondMayGoOn.promise;
    };
    first.beforeNextGet = async () => {
      const lock = join(dir, '.k.lock');
      const held = JSON.parse(await readFile(lock, 'utf8')) as { host: string };
      await writeFile(lock, JSON.stringify({ ...held, host: 'another-host' }));
      secondPut = second.put('k', encode('v2'), { ifMatch: etagOf('v1') });
      await secondHolds.promise;
    };
    // A writes while B holds the lock (A had judged the object before), then releases.
    await first.put('k', encode('v1'), { ifMatch: etag });
    expect(decode((await first.get('k'))?.body)).toBe('v1');

    // B still holds the lock: a third writer must wait for it, here until it gives up.
    await expect(impatient().put('k', encode('v3'))).rejects.toThrow(
      /timed out after 1000 ms waiting for the write lock/,
    );
    expect(await readdir(dir)).toContain('.k.lock');

    secondMayGoOn.resolve();
    await secondPut;
    expect(decode((await first.get('k'))?.body)).toBe('v2');
    expect(await readdir(dir)).toEqual(['k']);
  });

  it('a writer releasing a lock someone has just created, still empty, leaves it', async () => {
    const store = new PausingStore(dir);
    const { etag } = await store.put('k', encode('v0'));
    store.beforeNextGet = async () => {
      // As if another writer broke this lock as stale and has created, not yet written, its own.
      await writeFile(join(dir, '.k.lock'), '');
    };
    await store.put('k', encode('v1'), { ifMatch: etag });
    expect(decode((await store.get('k'))?.body)).toBe('v1');
    expect(await readFile(join(dir, '.k.lock'), 'utf8')).toBe('');
  });

  it('a writer breaking a stale lock that was retaken meanwhile leaves the new one', async () => {
    const lock = join(dir, '.k.lock');
    const owner = (token: string) =>
      JSON.stringify({ pid: 1, host: 'another-host', acquired_at: new Date().toISOString(), token });
    await writeFile(lock, owner('stale'));
    // The clock is read once the lock has been judged, just before it is moved aside: there the
    // stale holder releases and a live one takes the lock, and the clock says the judged one is old.
    const start = Date.now();
    let reads = 0;
    let waited = 0;
    const breaker = new FsObjectStore(dir, {
      lockTimeoutMs: 1_000,
      now: () => {
        reads += 1;
        if (reads !== 2) return start + waited;
        unlinkSync(lock);
        writeFileSync(lock, owner('live'));
        return start + 600_000;
      },
      sleep: async (ms) => {
        waited += ms;
      },
    });
    await expect(breaker.put('k', encode('v'))).rejects.toThrow(/timed out after 1000 ms/);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ token: 'live' });
    expect(await readdir(dir)).toEqual(['.k.lock']);
  });
});
