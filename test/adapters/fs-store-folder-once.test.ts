import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';

// The file system calls of a write are counted: a folder the store has made or found is not made
// again at each write, and a temp file is removed with one unlink (or not at all once renamed into
// place), each a round trip to the thread pool saved on the ingest's CPU path (docs/performance.md).
// Mocked for this file alone and the store imported afresh: a hoisted mock would not reach a store
// module another file in the same worker has loaded already (test/architecture).
const counted = { mkdir: vi.fn(), rm: vi.fn(), unlink: vi.fn() } satisfies Record<string, Mock>;
let FsObjectStore: typeof import('../../functions/adapters/fs-store.ts').FsObjectStore;
// From the same fresh modules as the store, or its errors would be another class.
let PreconditionFailedError: typeof import('../../functions/core/ports.ts').PreconditionFailedError;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('node:fs/promises', async (importOriginal) => {
    const real = await importOriginal<typeof FsPromises>();
    counted.mkdir.mockImplementation(real.mkdir);
    counted.rm.mockImplementation(real.rm);
    counted.unlink.mockImplementation(real.unlink);
    return { ...real, ...counted };
  });
  ({ FsObjectStore } = await import('../../functions/adapters/fs-store.ts'));
  ({ PreconditionFailedError } = await import('../../functions/core/ports.ts'));
});
afterAll(() => {
  vi.doUnmock('node:fs/promises');
  vi.resetModules();
});

const mkdir = counted.mkdir;
const rmCalls = counted.rm;
const unlink = counted.unlink;
const bytes = (text: string) => new TextEncoder().encode(text);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-folder-once-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  for (const mock of Object.values(counted)) mock.mockClear();
});

const tempsIn = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));

describe('FsObjectStore writes into a folder it knows', () => {
  it('makes a folder at its first write only', async () => {
    const store = new FsObjectStore(join(root, 'once'));
    await store.put('events/day=1/a.json', bytes('1'));
    const first = mkdir.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    await store.put('events/day=1/b.json', bytes('2'));
    await store.put('events/day=1/c.json', bytes('3'), { ifNoneMatch: '*' });
    expect(mkdir.mock.calls.length).toBe(first);
    await store.put('events/day=2/a.json', bytes('4'));
    expect(mkdir.mock.calls.length).toBeGreaterThan(first);
  });

  it('removes a linked temp file with one unlink and asks nothing of a renamed one', async () => {
    const store = new FsObjectStore(join(root, 'temps'));
    await store.put('x/a.json', bytes('1'));
    expect(unlink).not.toHaveBeenCalled();
    // The unconditional write's lock file is removed with rm (file-lock.ts): not the temp file.
    for (const mock of Object.values(counted)) mock.mockClear();
    await store.put('x/b.json', bytes('2'), { ifNoneMatch: '*' });
    expect(unlink).toHaveBeenCalledTimes(1);
    expect(rmCalls).not.toHaveBeenCalled();
    await expect(store.put('x/b.json', bytes('3'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(store.put('x/a.json', bytes('3'), { ifMatch: '"nope"' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(await tempsIn(join(root, 'temps', 'x'))).toEqual([]);
    expect(await readFile(join(root, 'temps', 'x', 'a.json'), 'utf8')).toBe('1');
    expect(await readFile(join(root, 'temps', 'x', 'b.json'), 'utf8')).toBe('2');
  });

  it('makes a known folder again when it was removed since', async () => {
    const lake = join(root, 'removed');
    const store = new FsObjectStore(lake);
    await store.put('events/day=1/a.json', bytes('1'));
    await rm(join(lake, 'events'), { recursive: true });
    await store.put('events/day=1/b.json', bytes('2'), { ifNoneMatch: '*' });
    expect((await store.get('events/day=1/b.json'))?.body).toEqual(bytes('2'));
    expect(await store.get('events/day=1/a.json')).toBeUndefined();
  });

  it('names a file put where a known folder was, as at a first write', async () => {
    const lake = join(root, 'file-in-way');
    const store = new FsObjectStore(lake);
    await store.put('events/day=1/a.json', bytes('1'));
    await rm(join(lake, 'events', 'day=1'), { recursive: true });
    await writeFile(join(lake, 'events', 'day=1'), 'not a folder');
    await expect(store.put('events/day=1/b.json', bytes('2'))).rejects.toThrow(
      /cannot create the directory .*day=1.* is a file, not a directory/,
    );
  });
});
