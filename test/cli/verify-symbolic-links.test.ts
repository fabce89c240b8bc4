import { cp, mkdir, mkdtemp, readdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { noWaits } from '../support/no-waits.ts';
import { lakeCopy as copyOfLake, pathOf, verifyAcme } from '../support/verify-lake-copy.ts';

// A lake on disk holds no symbolic links below its top folders (its store writes none). One there
// added events that queries counted while `verify` and `verify --integrity` passed: the store
// listed no link, so no check saw it. Both now fail, naming it.
const day0 = Date.parse('2026-10-01T00:00:00Z');
let dir: string;
let clean: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-links-'));
  clean = join(dir, 'clean');
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = {
    ...noWaits,
    source,
    store: new FsObjectStore(clean),
    clock: { now: () => day0 + 6 * HOUR_MS + 1 },
    log: silentLog,
    metrics: { count() {} },
  };
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const lakeCopy = (name: string) => copyOfLake(clean, dir, name);
const verify = verifyAcme;

describe('verify over a lake holding a symbolic link', () => {
  it('fails, with and without --integrity, on a linked day folder holding a forged hour', async () => {
    const lake = await lakeCopy('day-link');
    const hidden = join(lake, 'activity_log', 'instance=acme', '.x');
    await mkdir(hidden);
    const stored = pathOf(lake, activityKey('acme', day0));
    await cp(stored, join(hidden, 'forged.ndjson.gz'));
    await symlink('.x', join(lake, 'activity_log', 'instance=acme', 'dt=2026-09-30'));
    for (const integrity of [false, true]) {
      const { code, stderr } = await verify(lake, integrity);
      expect(code, `--integrity ${integrity}`).toBe(1);
      expect(stderr).toContain(
        'activity_log/instance=acme/dt=2026-09-30/ in the lake (' +
          `${join(lake, 'activity_log', 'instance=acme', 'dt=2026-09-30')}) is a symbolic link to a folder`,
      );
    }
  });

  it('fails, with and without --integrity, on a link in place of an hour, not calling it gone', async () => {
    const lake = await lakeCopy('object-link');
    const key = activityKey('acme', day0 + HOUR_MS);
    await rename(pathOf(lake, key), join(dir, 'moved-hour.ndjson.gz'));
    await symlink(join(dir, 'moved-hour.ndjson.gz'), pathOf(lake, key));
    for (const integrity of [false, true]) {
      const { code, stdout, stderr } = await verify(lake, integrity);
      expect(code, `--integrity ${integrity}`).toBe(1);
      expect(stderr).toContain(`${key} in the lake (${pathOf(lake, key)}) is a symbolic link, not an object`);
      expect(stdout).not.toContain('it is gone');
    }
  });

  it('passes when a whole table folder is a link (the table moved to another disk)', async () => {
    const lake = await lakeCopy('table-link');
    const moved = join(dir, 'moved-activity-log');
    await rename(join(lake, 'activity_log'), moved);
    await symlink(moved, join(lake, 'activity_log'));
    expect(await readdir(join(lake, 'activity_log'))).toEqual(['instance=acme']);
    for (const integrity of [false, true]) {
      const { code, stdout, stderr } = await verify(lake, integrity);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('OK');
    }
  });
});
