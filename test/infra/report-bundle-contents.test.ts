import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleLambda, LAMBDA_BUNDLE } from '../../infra/constructs/lambda-bundle.ts';
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

// What every cold start of the report function parses and compiles; its import ran over its
// 200 ms budget (docs/performance.md, 2026-12-07).
describe('the report function bundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-bundle-contents-'));
  let code = '';
  beforeAll(() => {
    bundleLambda(REPORT_ENTRY, dir);
    code = readFileSync(path.join(dir, BUNDLE_FILE), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("holds zod's small build (zod/mini) and its English messages, not the full build (~70 KB)", () => {
    const zod = reportBundleInputs().filter((file) => file.includes('node_modules/zod/'));
    expect(zod.some((file) => file.includes('/v4/mini/'))).toBe(true);
    expect(zod.some((file) => file.endsWith('/v4/locales/en.js'))).toBe(true);
    expect(zod.filter((file) => file.includes('/v4/classic/'))).toEqual([]);
  });

  it('holds the AWS SDK schemas of the commands it sends, not of every command of each client', () => {
    // Lambda Invoke, SES SendEmail, S3 GetObject, Athena StartQueryExecution: sent.
    for (const sent of [
      'InvocationRequest',
      'SendEmailRequest',
      'GetObjectRequest',
      'StartQueryExecutionInput',
    ])
      expect(code, sent).toContain(`"${sent}"`);
    // Commands of the same clients the function never sends (~130 KB of schemas in all).
    for (const unsent of [
      'CreateFunctionRequest',
      'CreateContactListRequest',
      'PutBucketLifecycleConfigurationRequest',
    ])
      expect(code, unsent).not.toContain(`"${unsent}"`);
  });
});
