import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface BundleFigure {
  handler: string;
  minifiedKiB: number;
  gzipKiB: number;
}

/**
 * Bundles a Lambda handler the way the CDK app does (infra/constructs/lake-function.ts: ESM,
 * minified, AWS SDK included) and measures it; source maps are left out of the figure.
 */
export async function benchBundle(handler: string): Promise<BundleFigure> {
  const result = await build({
    entryPoints: [handler],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { handler, minifiedKiB: code.length / 1024, gzipKiB: gzipSync(code).length / 1024 };
}
