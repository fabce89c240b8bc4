import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { GEO_DB_FILE_NAME } from '../../functions/adapters/geo-database-build.ts';
import { INGEST_ENTRY, ingestBundledFiles } from '../../infra/constructs/instance-ingest.ts';
import { bundleFunction } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

let bundled: string | undefined;

/** Bundles the ingest function for real (esbuild, as `cdk synth` does) once and returns its asset directory. */
function bundleIngestFunction(): string {
  bundled ??= bundle();
  return bundled;
}

function bundle(): string {
  return bundleFunction('Ingest', INGEST_ENTRY, ingestBundledFiles());
}

describe('ingest function asset', () => {
  it('carries the geo database as a file beside a bundle that does not contain the data', () => {
    const dir = bundleIngestFunction();
    const files = readdirSync(dir);
    expect(files).toContain(GEO_DB_FILE_NAME);
    expect(statSync(path.join(dir, GEO_DB_FILE_NAME)).size).toBeGreaterThan(5_000_000);
    expect(statSync(path.join(dir, 'index.mjs')).size).toBeLessThan(3_000_000);
  }, 180_000);

  it('a bundled loader finds the file beside itself, with no setting', async () => {
    const dir = bundleIngestFunction();
    await build({
      entryPoints: [path.resolve(import.meta.dirname, '../../functions/adapters/geo-file-lookup.ts')],
      outfile: path.join(dir, 'geo-probe.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      banner: {
        js: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const probe = `await import(process.argv[2]);
      const m = await import(process.argv[1]);
      const { database, file } = m.loadGeoDatabase(m.geoDatabasePath({}));
      console.log(JSON.stringify({ file, answer: database.lookup('8.8.8.8') }));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', probe, path.join(dir, 'geo-probe.mjs'), path.join(dir, 'index.mjs')],
      { cwd: '/' },
    );
    expect(JSON.parse(stdout)).toEqual({
      file: path.join(dir, GEO_DB_FILE_NAME),
      answer: { country: 'US', asn: 15169, org: 'Google LLC' },
    });
  }, 180_000);
});
