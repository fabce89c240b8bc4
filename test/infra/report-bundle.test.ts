import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_ENV } from '../../functions/report/config.ts';
import { queryFiles, REPORT_ENTRY } from '../../infra/constructs/weekly-report.ts';
import { bundleFunction } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

/**
 * Bundles the report function for real (esbuild, as `cdk synth` does) in the smallest stack that
 * holds it, and returns the asset directory Lambda would receive.
 */
function bundleReportFunction(): string {
  return bundleFunction('Report', REPORT_ENTRY, queryFiles());
}

/** Loopback stand-in for S3 (every object missing) and Athena (refuses every query, after recording it). */
async function startAwsStub() {
  const athenaCalls: { target: string; body: Record<string, unknown> }[] = [];
  const s3Requests: string[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('AmazonAthena.')) {
      athenaCalls.push({ target, body: JSON.parse(body) });
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InvalidRequestException', Message: 'stub Athena refuses' }));
      return;
    }
    s3Requests.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    athenaCalls,
    s3Requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Imports the bundle in a plain Node process (as Lambda does) and invokes the handler once. */
const INVOKE = `
const { handler } = await import(process.argv[1]);
const context = { functionName: 'report', functionVersion: '$LATEST', awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:report', memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 60000 };
try {
  const result = await handler({}, context);
  process.stdout.write(JSON.stringify({ result }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: error.message }));
}
`;

describe('the bundled report function', () => {
  let assetDir = '';
  beforeAll(() => {
    assetDir = bundleReportFunction();
  });

  it('ships the handler, its source map and every query of the catalog beside it', () => {
    expect(existsSync(path.join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
    const sql = queryFiles();
    expect(sql.length).toBeGreaterThanOrEqual(8);
    for (const file of sql) {
      const shipped = path.join(assetDir, path.basename(file));
      expect(readFileSync(shipped, 'utf8'), path.basename(file)).toBe(readFileSync(file, 'utf8'));
    }
    // The package stays small: the SDK clients it uses are bundled, nothing else heavy is.
    expect(statSync(path.join(assetDir, 'index.mjs')).size).toBeLessThan(5 * 1024 * 1024);
    // Credentials come from the environment only (functions/shared/lambda-credentials.ts): none of
    // the SDK chain's other sources (SSO, credential_process, web identity) is in the bundle.
    const code = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
    expect(code).toContain('no AWS credentials in the environment');
    expect(code).not.toMatch(/credential_process|sso_start_url|AssumeRoleWithWebIdentity/);
  });

  it("ships a source map of the project's code only, which still maps errors to the TypeScript", async () => {
    const map = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources.length).toBeGreaterThan(10);
    expect(map.sources.filter((source) => source.includes('node_modules'))).toEqual([]);
    expect(map.sources.some((source) => source.endsWith('functions/report/handler.ts'))).toBe(true);
    // No configuration: the first invocation fails in the project's code, as Lambda would log it.
    const stack = `
const { handler } = await import(process.argv[1]);
try { await handler({}, {}); } catch (error) { process.stdout.write(error.stack); }
`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', stack, path.join(assetDir, 'index.mjs')],
      { env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1' }, timeout: 30_000 },
    );
    expect(stdout).toMatch(/REPORT_|not set/);
    expect(stdout).toMatch(/functions\/report\/config\.ts:\d+:\d+/);
    expect(stdout).toMatch(/functions\/report\/handler\.ts:\d+:\d+/);
  });

  it('reads its queries from the bundle at run time and sends them to Athena', async () => {
    const stub = await startAwsStub();
    try {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: stub.endpoint,
        AWS_MAX_ATTEMPTS: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        [REPORT_ENV.instances]: 'acme',
        [REPORT_ENV.bucket]: 'lake-bucket',
        [REPORT_ENV.prefix]: '',
        [REPORT_ENV.workGroup]: 'wg',
        [REPORT_ENV.database]: 'db',
        [REPORT_ENV.timeZone]: 'UTC',
        [REPORT_ENV.sender]: 'reports@acme-co.com',
        [REPORT_ENV.recipients]: 'sec@acme-co.com',
        [REPORT_ENV.alertsEnabled]: 'false',
        [REPORT_ENV.stack]: 'DomoActivityLake',
      };
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', INVOKE, path.join(assetDir, 'index.mjs')],
        { env, timeout: 30_000 },
      );
      const outcome = JSON.parse(stdout) as { error?: string };
      // It got past the missing sent-marker and the query catalog, and failed only at the stub.
      expect(outcome.error).toMatch(/weekly report failed for 1 instance\(s\): acme: .*stub Athena refuses/);
      expect(outcome.error).not.toMatch(/no \.sql files/);
      expect(
        stub.s3Requests.some(
          (r) => r.includes('reports/instance%3Dacme/') || r.includes('reports/instance=acme/'),
        ),
      ).toBe(true);
      const started = stub.athenaCalls.filter((c) => c.target === 'AmazonAthena.StartQueryExecution');
      expect(started.length).toBeGreaterThan(0);
      const catalogSql = new Set(queryFiles().map((file) => readFileSync(file, 'utf8')));
      for (const call of started) {
        expect(call.body).toMatchObject({ WorkGroup: 'wg', QueryExecutionContext: { Database: 'db' } });
        expect([...catalogSql].some((sql) => sql.includes(String(call.body.QueryString).trim()))).toBe(true);
      }
    } finally {
      await stub.close();
    }
  });
});
