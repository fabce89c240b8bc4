import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { enrichCommand } from '../../functions/cli/commands/enrich.ts';
import { main } from '../../functions/cli/main.ts';
import { type DirectoryWriteAccess, directoryWriteAccess } from '../../functions/cli/writable-lake.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { event, storeHour, withoutGeoColumns } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * `enrich` on a lake it cannot write (another user's, a read-only mount, a full disk): refused
 * before any rewrite as ingest's lake is, or, when the disk fills meanwhile, stopped with the lake
 * and the fix named rather than the errno of a hidden temporary file.
 */
const _HOUR = Date.parse('2026-10-01T10:00:00Z');
const RANGE = ['--from', '2026-10-01T10:00:00Z', '--to', '2026-10-01T11:00:00Z'];

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-enrich-ro-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  const records = [withoutGeoColumns(event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' }))];
  await storeHour(store, '2026-10-01 10:00', records);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** `access(2)` as another user would meet it: the tests run as root, whom no permission stops. */
const deniedAt =
  (denied: string) =>
  async (path: string): Promise<DirectoryWriteAccess> =>
    path === denied ? 'EACCES' : directoryWriteAccess(path);

describe('enrich on a lake it cannot write', () => {
  it('is refused before any rewrite, naming the lake and what to do', async () => {
    const put = vi.spyOn(FsObjectStore.prototype, 'put');
    const folder = join(lake, 'digest', 'instance=default');
    const run = captureIo();
    await expect(
      enrichCommand(
        ['--lake', lake, ...RANGE],
        { ...run.io, log: silentLog },
        {
          directoryWriteAccess: deniedAt(folder),
        },
      ),
    ).rejects.toThrow(
      `cannot write the lake at ${lake} (${folder} is not writable): this user may not write there (EACCES): run the command as the user who owns the lake, or give this user write access to it`,
    );
    expect(put).not.toHaveBeenCalled();
  });

  it('on a read-only mount with nothing to rewrite, writes nothing and exits 0', async () => {
    const enriched = join(dir, 'enriched');
    await storeHour(new FsObjectStore(enriched), '2026-10-01 10:00', [
      withoutGeoColumns(event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' })),
    ]);
    expect(await main(['enrich', '--lake', enriched, ...RANGE], captureIo().io)).toBe(0);
    const put = vi.spyOn(FsObjectStore.prototype, 'put');
    const run = captureIo();
    const summary = await enrichCommand(
      ['--lake', enriched, ...RANGE],
      { ...run.io, log: silentLog },
      { directoryWriteAccess: async () => 'EROFS' },
    );
    expect(summary.summary).toMatchObject({ hoursRewritten: 0, hoursUpToDate: 1 });
    expect(put).not.toHaveBeenCalled();
  });

  it("on a read-only mount with an hour to rewrite, is refused with the mount's fix", async () => {
    const put = vi.spyOn(FsObjectStore.prototype, 'put');
    const run = captureIo();
    await expect(
      enrichCommand(
        ['--lake', lake, ...RANGE],
        { ...run.io, log: silentLog },
        { directoryWriteAccess: async () => 'EROFS' },
      ),
    ).rejects.toThrow(
      `cannot write the lake at ${lake}: the lake is on a read-only file system (EROFS): mount it read-write, or copy the lake to a writable disk`,
    );
    expect(put).not.toHaveBeenCalled();
  });

  it('stopped by a full disk, says so with the lake and the fix, not the temporary file', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    vi.spyOn(FsObjectStore.prototype, 'put').mockRejectedValue(full);
    const run = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], run.io)).toBe(1);
    expect(run.stderr()).toBe(
      `error: could not write the lake at ${lake} (ENOSPC: no space left on device, write): the lake's disk is full (ENOSPC): free space on it; then run the same enrich again\n`,
    );
  });

  it('met as a read-only mount at write time, says to mount it read-write', async () => {
    const readOnly = Object.assign(new Error(`EROFS: read-only file system, open '${lake}/digest/.x.tmp'`), {
      code: 'EROFS',
    });
    vi.spyOn(FsObjectStore.prototype, 'put').mockRejectedValue(readOnly);
    const run = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], run.io)).toBe(1);
    expect(run.stderr()).toMatch(
      /^error: could not write the lake at \S+ \(EROFS: read-only file system, open a temporary file in '\S+\/digest'\): the lake is on a read-only file system \(EROFS\): mount it read-write/,
    );
    expect(run.stderr()).not.toContain('.tmp');
  });

  it('met at a read, says "read or write" and keeps the path of the object it could not read', async () => {
    const hourFile = join(lake, 'activity_log', 'instance=default', 'dt=2026-10-01', 'hour=10.ndjson.gz');
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${hourFile}'`), {
      code: 'EACCES',
      syscall: 'open',
      path: hourFile,
    });
    const get = FsObjectStore.prototype.get;
    vi.spyOn(FsObjectStore.prototype, 'get').mockImplementation(function (this: FsObjectStore, key: string) {
      return key.startsWith('activity_log/') ? Promise.reject(denied) : get.call(this, key);
    });
    const run = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], run.io)).toBe(1);
    expect(run.stderr()).toBe(
      `error: could not read or write the lake at ${lake} (EACCES: permission denied, open '${hourFile}'): this user may not read or write there (EACCES): run the command as the user who owns the lake, or give this user read and write access to it; then run the same enrich again\n`,
    );
  });

  it('met at a write the syscall names, says "write"', async () => {
    const denied = Object.assign(new Error(`EACCES: permission denied, rename '${lake}/coverage/.0a.tmp'`), {
      code: 'EACCES',
      syscall: 'rename',
    });
    vi.spyOn(FsObjectStore.prototype, 'put').mockRejectedValue(denied);
    const run = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], run.io)).toBe(1);
    expect(run.stderr()).toContain(
      `error: could not write the lake at ${lake} (EACCES: permission denied, rename a temporary file in '${lake}/coverage'): this user may not write there (EACCES)`,
    );
  });
});
