import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';

// A rename is atomic but not durable by itself: after a power cut the new name may point at a file
// whose bytes never reached the disk. So the temp file is fsynced before the rename or link, and
// the directory after it.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-store-durable-'));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

async function fileHandlePrototype(): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(join(root, 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
}

describe('FsObjectStore durability', () => {
  it.each([
    ['an unconditional put', {}],
    ['a create-only put', { ifNoneMatch: '*' as const }],
  ])('fsyncs both the body and its directory for %s', async (_, options) => {
    const sync = vi.spyOn(await fileHandlePrototype(), 'sync');
    const store = new FsObjectStore(join(root, 'lake'));
    await store.put(`coverage/${Object.keys(options).length}.json`, new TextEncoder().encode('{}'), options);
    expect(sync).toHaveBeenCalledTimes(2);
    sync.mockRestore();
  });
});
