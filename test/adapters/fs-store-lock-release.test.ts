import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { PreconditionFailedError } from '../../functions/core/ports.ts';
import { dirPerTest, encode } from '../support/dir-per-test.ts';
import { withReadHook } from '../support/read-hook.ts';

// Releasing a lock is "is it still mine? then remove it". Between the two, a writer that judged the
// lock stale can move it aside and a third writer create its own: the release must then leave the
// new lock alone. The store's steps are file system calls, so the test steps in between them by
// wrapping node:fs/promises' readFile (syncBuiltinESMExports carries the wrapper to the store's
// import), and undoes the wrapper before it checks anything.

const owner = (token: string) =>
  JSON.stringify({ pid: 1, host: 'another-host', acquired_at: new Date().toISOString(), token });

let dir: string;
dirPerTest('fs-store-release-', (made) => {
  dir = made;
});

describe('FsObjectStore lock release', () => {
  it('leaves a lock taken over between its check of the token and the removal', async () => {
    const lock = join(dir, '.k.lock');
    let takenOver = false;
    const onRead = (path: string) => {
      // The first read of the lock is the release checking its token: the writer still holds it.
      if (path !== lock || takenOver) return;
      takenOver = true;
      // A breaker moves it aside (and removes it) as stale; a live writer takes the key.
      renameSync(lock, `${lock}.breaker.stale`);
      rmSync(`${lock}.breaker.stale`);
      writeFileSync(lock, owner('live'));
    };

    await withReadHook(onRead, () => new FsObjectStore(dir).put('k', encode('v1')));

    expect(takenOver).toBe(true);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ token: 'live' });
    // Nothing left over by the release: the key and the live writer's lock.
    expect(readdirSync(dir).sort()).toEqual(['.k.lock', 'k']);
    expect(await readFile(join(dir, 'k'), 'utf8')).toBe('v1');
  });

  it('is done when its lock was broken between the check and the move, and nobody took the key', async () => {
    const lock = join(dir, '.k.lock');
    const onRead = (path: string) => {
      if (path === lock) rmSync(lock);
    };

    await withReadHook(onRead, () => new FsObjectStore(dir).put('k', encode('v1')));

    expect(readdirSync(dir)).toEqual(['k']);
  });

  it("does not put a moved lock back over one a third writer took in that moment: it is the third's", async () => {
    const lock = join(dir, '.k.lock');
    let takenOver = false;
    const onRead = (path: string) => {
      if (path === lock && !takenOver) {
        takenOver = true;
        rmSync(lock);
        writeFileSync(lock, owner('live'));
      }
      // The release reading what it moved aside: the key is unlocked, and a third writer takes it.
      if (path.endsWith('.release')) writeFileSync(lock, owner('third'));
    };

    await withReadHook(onRead, () => new FsObjectStore(dir).put('k', encode('v1')));

    // The gap release's comment admits: the live writer goes on without its lock, beside the
    // third, whose lock is left as it is (never replaced by the live writer's).
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ token: 'third' });
    expect(readdirSync(dir).sort()).toEqual(['.k.lock', 'k']);
  });

  it("never moves a lock it has seen to be someone else's", async () => {
    const lock = join(dir, '.k.lock');
    const store = new FsObjectStore(dir);
    const { etag } = await store.put('k', encode('v1'), { ifNoneMatch: '*' });
    const released: string[] = [];
    // The conditional put reads the object while it holds the lock: there it is broken and retaken.
    // (The store reads an object through a file handle, which the read hook does not see.)
    const read = store.get.bind(store);
    store.get = async (key: string) => {
      if (key === 'k' && released.length === 0) {
        released.push('taken over');
        rmSync(lock);
        writeFileSync(lock, owner('live'));
      }
      return read(key);
    };
    const onRead = (path: string) => {
      if (path.endsWith('.release')) released.push(path);
    };

    await withReadHook(onRead, () => store.put('k', encode('v2'), { ifMatch: etag }));

    // Moved aside, the live writer's lock would be missing for a moment: another writer could get in.
    expect(released).toEqual(['taken over']);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ token: 'live' });
  });

  it('removes its own lock and nothing else', async () => {
    const store = new FsObjectStore(dir);
    const { etag } = await store.put('k', encode('v1'));
    await store.put('k', encode('v2'), { ifMatch: etag });
    expect(readdirSync(dir)).toEqual(['k']);
  });

  it('reports a made write as made when its lock cannot be released, and a failed one as failed', async () => {
    const lock = join(dir, '.k.lock');
    const unreadable = (path: string) => {
      if (path === lock) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const store = new FsObjectStore(dir);
    const made = await withReadHook(unreadable, () => store.put('k', encode('v1')));
    expect(await readFile(join(dir, 'k'), 'utf8')).toBe('v1');
    expect(made.etag).toBeTruthy();
    rmSync(lock, { force: true });

    // A conditional write that fails keeps its own error, whatever the release does after it.
    const refused = withReadHook(unreadable, () => store.put('k', encode('v2'), { ifMatch: '"stale"' }));
    await expect(refused).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await readFile(join(dir, 'k'), 'utf8')).toBe('v1');
  });
});
