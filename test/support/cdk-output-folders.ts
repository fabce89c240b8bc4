import fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

/**
 * The CDK output folders (`cdk.out*`) a test file leaves in the scratch directory, removed after
 * each file and reported (test/setup.ts).
 *
 * An App built without `outdir` makes a `cdk.out*` folder under os.tmpdir() as it is constructed,
 * synthesized or not. CDK removes the ones it made on the process's `exit`, which a Vitest worker
 * stopped at the end of the run never reaches: each run of the suite left 3-6 of them in /dev/shm,
 * from the files after the last one calling CloudAssembly.cleanupTemporaryDirectories in each
 * worker. So every file now ends with that cleanup, whatever it calls itself.
 *
 * The guard sees the folders made in this worker only (a listing of the shared scratch directory
 * would also see the other worker's, and other runs' beside this one): it wraps `mkdtempSync`, the
 * call CDK makes them with (and that a test giving an `outdir` would use), and after the cleanup
 * names those still there. Test files of a worker run one after the other, so what is left at a
 * file's end is that file's.
 */

const CDK_OUT = 'cdk.out';

/** Where CDK keeps the folders it made (loaded only once CDK synthesized or built an App). */
const CLOUD_ASSEMBLY = 'aws-cdk-lib/node_modules/@aws-cdk/cloud-assembly-api/lib/cloud-assembly.js';

const require = createRequire(import.meta.url);

const TRACKING = Symbol.for('domo-activity-lake.cdk-output-folders');

/**
 * The folders made, one set per worker: kept on the global object, not in this module, because a
 * file calling vi.resetModules loads this module afresh while the wrapper installed before still
 * adds to the set it was installed with.
 */
const sets = globalThis as unknown as Record<symbol, Set<string> | undefined>;
const made: Set<string> = sets[TRACKING] ?? new Set<string>();
sets[TRACKING] = made;

/** Wraps `mkdtempSync` once per worker (test/setup.ts runs before each file). */
export function trackCdkOutputFolders(): void {
  const holder = fs as unknown as Record<symbol, boolean>;
  if (holder[TRACKING]) return;
  holder[TRACKING] = true;
  const original = fs.mkdtempSync;
  const wrapped = ((prefix: string, options?: fs.EncodingOption) => {
    const folder = original(prefix, options);
    if (typeof folder === 'string' && path.basename(prefix).startsWith(CDK_OUT)) made.add(folder);
    return folder;
  }) as typeof fs.mkdtempSync;
  fs.mkdtempSync = wrapped;
  // `import { mkdtempSync } from 'node:fs'` reads the wrapped one too.
  syncBuiltinESMExports();
}

/** CDK's own cleanup of the folders it made, when this worker loaded it (never loads it). */
function cdkCleanup(): void {
  const loaded = Object.keys(require.cache).find((file) => file.endsWith(CLOUD_ASSEMBLY));
  if (loaded === undefined) return;
  (
    require(loaded) as { CloudAssembly: { cleanupTemporaryDirectories(): void } }
  ).CloudAssembly.cleanupTemporaryDirectories();
}

/**
 * Removes the CDK output folders made since the last call: CDK's own first, then any left (one a
 * test made itself and kept). Returns those left, now removed, for the caller to report.
 */
export function removeCdkOutputFolders(): string[] {
  cdkCleanup();
  const left = [...made].filter((folder) => fs.existsSync(folder));
  made.clear();
  for (const folder of left) fs.rmSync(folder, { recursive: true, force: true });
  return left;
}
