import { resolve } from 'node:path';
import { inspectLakeDirectory, listFound } from './lake-directory.ts';
import type { OutWrites } from './out-outside-lake.ts';
import { UsageError } from './usage-error.ts';

/**
 * Refuses (a usage error) an `--out` that is a lake itself, recognised as ingest and the demo
 * recognise one ({@link inspectLakeDirectory}): not the lake read, which `assertOutOutsideLake`
 * refuses, but another one. The command writes its files over whatever has their names, and its
 * reports/ folder is where status reads that lake's mailed weeks. `out` is the value as typed.
 */
export async function assertOutNotALake(out: string, writes: OutWrites): Promise<void> {
  const found = await inspectLakeDirectory(resolve(out));
  if (found.kind !== 'lake' && found.kind !== 'demo-lake') return;
  const which = found.kind === 'demo-lake' ? "a demo's lake" : 'a lake';
  throw new UsageError(
    `--out ${out} is ${which} (it holds ${listFound(found.found)}): ${writes.command} would write ${writes.files} into it${writes.folder ? `, and ${writes.folder.what} into its ${writes.folder.name}/` : ''}; pass an --out that is no lake (a new or empty directory, e.g. ./out)`,
  );
}
