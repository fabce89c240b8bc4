import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ensureGeoDatabaseFile } from '../functions/adapters/geo-database-build.ts';

const ROOT = join(import.meta.dirname, '..');
export const CACHE_DIR = join(ROOT, 'bench', '.cache');

export interface ChildBundles {
  cli: string;
  naivePager: string;
  simulator: string;
}

/**
 * Every process the bench measures runs plain JavaScript: the CLI's own bundle (dist/cli.mjs,
 * rebuilt when stale) and bundles of the naive pager and the simulator process, so no figure
 * includes a TypeScript loader.
 */
export async function buildChildBundles(): Promise<ChildBundles> {
  // The CLI builds the geo database on first use and caches it: build it now, outside any figure.
  ensureGeoDatabaseFile();
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  const out = (name: string) => join(CACHE_DIR, `${name}.mjs`);
  await build({
    entryPoints: {
      'naive-pager': join(ROOT, 'bench', 'naive-pager.ts'),
      'sim-process': join(ROOT, 'bench', 'sim-process.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: CACHE_DIR,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return {
    cli: join(ROOT, 'dist', 'cli.mjs'),
    naivePager: out('naive-pager'),
    simulator: out('sim-process'),
  };
}
