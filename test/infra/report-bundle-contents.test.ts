import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE } from '../../infra/constructs/lambda-bundle.ts';
import { REPORT_ENTRY } from '../../infra/constructs/weekly-report.ts';

/** The files of dependencies the report function's bundle holds code of, as esbuild built it. */
function reportBundleInputs(): string[] {
  const { metafile } = buildSync({
    ...LAMBDA_BUNDLE,
    entryPoints: [REPORT_ENTRY],
    write: false,
    outfile: 'index.mjs',
    metafile: true,
  });
  const [output] = Object.values(metafile.outputs).filter((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}

describe('the report function bundle', () => {
  // zod's full build was ~70 KiB of the bundle that every cold start parsed and compiled, and the
  // import ran over its 200 ms budget (docs/performance.md, 2026-12-07).
  it("holds zod's small build (zod/mini) and its English messages, not the full build", () => {
    const zod = reportBundleInputs().filter((file) => file.includes('node_modules/zod/'));
    expect(zod.some((file) => file.includes('/v4/mini/'))).toBe(true);
    expect(zod.some((file) => file.endsWith('/v4/locales/en.js'))).toBe(true);
    expect(zod.filter((file) => file.includes('/v4/classic/'))).toEqual([]);
  });
});
