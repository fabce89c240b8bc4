import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from './capture-io.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { noWaits } from './no-waits.ts';

/** A copy of the lake `clean` at `dir/name`, to tamper with. */
export async function lakeCopy(clean: string, dir: string, name: string): Promise<string> {
  const lake = join(dir, name);
  await cp(clean, lake, { recursive: true });
  return lake;
}

/** `verify --lake <lake> --instance acme [--integrity]`, with its status and output. */
export async function verifyAcme(lake: string, integrity: boolean) {
  const io = captureIo();
  const args = ['verify', '--lake', lake, '--instance', 'acme', ...(integrity ? ['--integrity'] : [])];
  return { code: await main(args, io.io), stdout: io.stdout(), stderr: io.stderr() };
}

/** Where the key `key` of the lake at `lake` is on disk. */
export const pathOf = (lake: string, key: string): string => join(lake, ...key.split('/'));

/**
 * What an ingest into the disk lake at `lake` needs, at the time `at`: twelve views of instance
 * `acme`, one every 30 minutes from `day0`.
 */
export const diskIngestDeps = (day0: number, lake: string, at: number) => ({
  ...noWaits,
  source: new MemoryAuditSource(Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i))),
  store: new FsObjectStore(lake),
  clock: { now: () => at },
  log: silentLog,
  metrics: { count() {} },
});
