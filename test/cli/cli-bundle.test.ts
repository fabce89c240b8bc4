import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT } from '../../functions/cli/heap-growth.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const bundle = join(root, 'dist', 'cli.mjs');
// No loader: plain Node can only run the bundle if no TypeScript is left to compile.
const plainNode = { env: { ...process.env, NODE_OPTIONS: '' }, cwd: root };

describe('the prebuilt command line (dist/cli.mjs)', () => {
  beforeAll(async () => {
    await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale'], plainNode);
  });

  it('runs in plain Node and finds the query catalog shipped beside it', async () => {
    const { stdout } = await run(process.execPath, [bundle, 'query', '--list'], plainNode);
    expect(stdout).toMatch(/most_active_users/);
    expect(stdout).toMatch(/suspicious_logins/);
  });

  it('keeps DuckDB external and loads command modules lazily (the entry holds no SDK or DuckDB code)', async () => {
    const entry = await readFile(bundle, 'utf8');
    expect(entry).not.toMatch(/@aws-sdk|S3Client|DuckDBInstance/);
    const { stdout } = await run(process.execPath, [bundle, '--help'], plainNode);
    expect(stdout).toMatch(/^Usage: domo-activity-lake <command>/);
  });

  it("bounds the heap's growth for the whole process before a command runs", async () => {
    const recorder = join(root, 'test', 'support', 'record-v8-flags.mjs');
    const { stderr } = await run(process.execPath, ['--import', recorder, bundle, '--help'], plainNode);
    const flags = JSON.parse(/^V8 flags set: (.*)$/m.exec(stderr)?.[1] ?? 'null') as string[] | null;
    // The young generation's cap follows only once a collection has grown it that far: maybe never here.
    expect(flags).toContain(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it('loads the S3 SDK only for an S3 lake: no command imports it statically', async () => {
    const chunks = await bundleChunks();
    const s3 = [...chunks.values()].filter((c) => c.sources.some((s) => S3_SDK.test(s)));
    expect(s3.length).toBeGreaterThan(0);
    for (const command of ['ingest', 'status', 'verify', 'query', 'report', 'alerts', 'enrich', 'demo']) {
      const chunk = [...chunks.values()].find((c) =>
        c.sources.some((s) => s.endsWith(`functions/cli/commands/${command}.ts`)),
      );
      expect(chunk, command).toBeDefined();
      const loaded = staticClosure(chunks, chunk?.file ?? '');
      expect(
        [...loaded].filter((file) => chunks.get(file)?.sources.some((s) => S3_SDK.test(s))),
        `${command} loads the S3 SDK on a local lake`,
      ).toEqual([]);
    }
  });

  it('loads DuckDB only when a query runs: listing the catalog does not', async () => {
    const chunks = await bundleChunks();
    expect([...chunks.values()].some((c) => c.duckdb)).toBe(true);
    const query = [...chunks.values()].find((c) =>
      c.sources.some((s) => s.endsWith('functions/cli/commands/query.ts')),
    );
    const loaded = [...staticClosure(chunks, query?.file ?? '')];
    expect(loaded.filter((file) => chunks.get(file)?.duckdb)).toEqual([]);
  });
});

const S3_SDK = /node_modules\/@aws-sdk\/(client-s3|lib-storage)\//;

interface Chunk {
  file: string;
  sources: string[];
  /** Chunks it imports statically (loaded with it), not those it may import() later. */
  imports: string[];
  /** Whether it imports DuckDB's package statically. */
  duckdb: boolean;
}

/** Every .mjs file of dist/, with the sources its map names and the chunks it imports statically. */
async function bundleChunks(): Promise<Map<string, Chunk>> {
  const dir = join(root, 'dist');
  const chunks = new Map<string, Chunk>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.mjs'))) {
    const code = await readFile(join(dir, file), 'utf8');
    const map = JSON.parse(await readFile(join(dir, `${file}.map`), 'utf8')) as { sources: string[] };
    // `import{a as b}from"./x.mjs"`, `import"./x.mjs"`, `export{..}from"./x.mjs"`; not `import("./x.mjs")`.
    const imports = [
      ...code.matchAll(
        /\b(?:import|export)\s*(?:\{[^}]*\}|\*(?:\s*as\s*[\w$]+)?|[\w$]+)?\s*(?:from)?\s*"\.\/([\w.-]+\.mjs)"/g,
      ),
    ].map((m) => m[1] as string);
    chunks.set(file, { file, sources: map.sources, imports, duckdb: importsDuckDbStatically(code) });
  }
  return chunks;
}

/**
 * `import{x}from"@duckdb/node-api"`, `import"@duckdb/…"`, `export{x}from"@duckdb/…"`: loaded with
 * the chunk. Not `import("@duckdb/node-api")`, which loads it only when the code runs (the query
 * provenance's version of DuckDB is read that way, after a query has loaded it anyway).
 */
function importsDuckDbStatically(code: string): boolean {
  return /\b(?:import|export)\b(?!\s*\()[^;"(]*?(?:from)?\s*"@duckdb\//.test(code);
}

describe('what the bundle check counts as loading DuckDB', () => {
  it('takes a static import or re-export, not an import() that runs later', () => {
    expect(importsDuckDbStatically('import{DuckDBInstance as a}from"@duckdb/node-api";')).toBe(true);
    expect(importsDuckDbStatically('import "@duckdb/node-api";')).toBe(true);
    expect(importsDuckDbStatically('export{version}from"@duckdb/node-api";')).toBe(true);
    expect(importsDuckDbStatically('import * as d from "@duckdb/node-api";')).toBe(true);
    expect(
      importsDuckDbStatically('async function v(){let{version:e}=await import("@duckdb/node-api");}'),
    ).toBe(false);
    expect(importsDuckDbStatically('const d = await import ("@duckdb/node-api");')).toBe(false);
  });
});

function staticClosure(chunks: Map<string, Chunk>, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of chunks.get(file)?.imports ?? []) visit(next);
  };
  visit(start);
  return seen;
}
