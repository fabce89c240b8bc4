#!/usr/bin/env node
// Builds the command line into dist/ as plain JavaScript (esbuild), so running it compiles no
// TypeScript: start-up time and memory are the product's, not a loader's.
//   node scripts/build-cli.mjs            build now
//   node scripts/build-cli.mjs --if-stale build only when a source is newer than the bundle
//   node scripts/build-cli.mjs --out <dir> [--no-minify]
//                                         build into <dir>: a new or empty directory, or one
//                                         holding an earlier build (it is replaced)
// First: on a Node too old, a version message instead of a later module's stack trace.
import './node-version.mjs';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI_DIR = path.join(ROOT, 'dist');
const CLI_BUNDLE = path.join(CLI_DIR, 'cli.mjs');
const ENTRY = path.join(ROOT, 'functions', 'cli', 'bin.ts');
const QUERIES = path.join(ROOT, 'functions', 'queries');
// Inputs beyond functions/**: a new lock file or a changed build recipe also makes the bundle stale.
const EXTRA_INPUTS = [path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'scripts', 'build-cli.mjs')];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** True when dist/cli.mjs is missing or older than any source it is built from. */
function cliBundleIsStale() {
  if (!existsSync(CLI_BUNDLE)) return true;
  const built = statSync(CLI_BUNDLE).mtimeMs;
  const inputs = Math.max(
    newestMtime(path.join(ROOT, 'functions')),
    ...EXTRA_INPUTS.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs),
  );
  return inputs > built;
}

/** The files a build writes: the entry, its chunks, their source maps, the query catalog. */
const BUILD_FILE = /^(?:(?:cli|chunk-[A-Za-z0-9]+)\.mjs(?:\.map)?|[a-z0-9_]+\.sql)$/;

/**
 * The entries of `dir` that no build wrote, for a refusal: a build replaces the whole directory, so
 * `--out ~/projects` would have deleted everything there. Empty when `dir` is missing, empty, or
 * an earlier build (its entry, cli.mjs, and nothing a build does not write).
 */
function foreignEntries(dir) {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [path.basename(dir)];
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.length === 0) return [];
  const foreign = entries
    .filter((entry) => !entry.isFile() || !BUILD_FILE.test(entry.name))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name));
  // Chunks and .sql files alone are not a build: every build has its entry.
  if (foreign.length === 0 && !entries.some((entry) => entry.name === 'cli.mjs')) return ['no cli.mjs'];
  return foreign.sort();
}

/** Refuses (throws) a `dir` a build would replace that holds something no build wrote. */
function assertBuildDirectory(dir) {
  const foreign = foreignEntries(dir);
  if (foreign.length === 0) return;
  const shown =
    foreign.length > 5
      ? `${foreign.slice(0, 5).join(', ')} and ${foreign.length - 5} more`
      : foreign.join(', ');
  const what =
    existsSync(dir) && !statSync(dir).isDirectory()
      ? 'is a file'
      : `holds files that are not a CLI build (${shown})`;
  throw new Error(
    `${dir} ${what}; a build replaces the whole directory, so it was left as it is: pass a new or empty directory, or one an earlier build wrote`,
  );
}

/**
 * Bundles functions/cli/bin.ts with its dependencies into dist/: `cli.mjs` plus chunks that the
 * commands import lazily (DuckDB's client, the AWS SDK), and the query catalog's .sql files beside
 * them (the catalog reads them from its own directory). DuckDB's native package stays external.
 * Built into a temporary directory and swapped in, so a concurrent reader never sees half a build.
 */
async function buildCli({ dir = CLI_DIR, minify = true } = {}) {
  assertBuildDirectory(dir);
  const { build } = await import('esbuild');
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    entryPoints: { cli: ENTRY },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    external: ['@duckdb/node-api'],
    minify,
    mainFields: ['module', 'main'],
    sourcemap: 'linked',
    sourcesContent: false,
    // CommonJS dependencies inside an ESM bundle may call require(); give them one.
    banner: {
      js: "import { createRequire as __cliRequire } from 'node:module';const require = __cliRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  mkdirSync(staging, { recursive: true });
  for (const file of readdirSync(QUERIES)) {
    if (file.endsWith('.sql')) copyFileSync(path.join(QUERIES, file), path.join(staging, file));
  }
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another build (a parallel test) swapped its own in first: same sources, keep that one.
    if (!existsSync(path.join(dir, 'cli.mjs'))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

/** Builds the bundle if it is missing or stale; returns its path. */
export async function ensureCliBundle() {
  if (cliBundleIsStale()) await buildCli();
  return CLI_BUNDLE;
}

/** The directory `--out` names, or undefined without --out; throws when its value is missing. */
function outOption(args) {
  const at = args.indexOf('--out');
  if (at < 0) return undefined;
  const value = args[at + 1];
  // Without a value, path.resolve('') was the working directory, which the build then replaced.
  if (value === undefined || value.trim() === '' || value.startsWith('--'))
    throw new Error('--out needs a directory: node scripts/build-cli.mjs --out <dir> [--no-minify]');
  return path.resolve(value);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  try {
    const out = outOption(args);
    // `--out <dir> --no-minify`: a readable build for CPU profiles (bench/profile-ingest.ts).
    if (out !== undefined) await buildCli({ dir: out, minify: !args.includes('--no-minify') });
    else if (args.includes('--if-stale')) await ensureCliBundle();
    else await buildCli();
  } catch (error) {
    console.error(`build-cli: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
