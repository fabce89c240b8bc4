import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LAMBDA_NODE_FILES,
  lambdaNodeArgs,
  OFF_LAMBDA_NODE_FILES,
  ON_LAMBDA_NODE,
} from '../../scripts/lambda-node-tests.ts';
import { lambdaNodeProblems, offFileProblems, onLambdaNode } from '../architecture/lambda-node-selection.ts';

const root = path.resolve(import.meta.dirname, '../..');

// The whole tree is checked by test/architecture/import-rules.test.ts, in its one read of it.
describe("the Node 24 pass's test files (scripts/lambda-node-tests.ts)", () => {
  const handler = {
    path: 'functions/ingest/handler.ts',
    text: "import { planted } from '../core/planted.ts';",
  };
  const planted = { path: 'functions/core/planted.ts', text: 'export const planted = 1;' };
  // Not demo-planted-week.test.ts's lines: the planted files' paths only.
  const ofPlanted = (lines: string[]) => lines.filter((line) => /\bplanted[./]/.test(line));

  it('must run a test of every module a Lambda bundles that any test imports', () => {
    const fromInfra = {
      path: 'test/infra/planted.test.ts',
      text: "import '../../functions/core/planted.ts';",
    };
    expect(ofPlanted(lambdaNodeProblems([handler, planted, fromInfra]))).toEqual([
      'functions/core/planted.ts: a Lambda bundles it and only test/infra/planted.test.ts import it, which npm run test:lambda-node leaves out (test it from a folder of ON_LAMBDA_NODE or list the file in LAMBDA_NODE_FILES, scripts/lambda-node-tests.ts)',
    ]);
    // Also tested from the core's folder, it is run; not bundled, it needs no Node 24.
    const fromCore = { path: 'test/core/planted.test.ts', text: "import '../../functions/core/planted.ts';" };
    expect(ofPlanted(lambdaNodeProblems([handler, planted, fromInfra, fromCore]))).toEqual([]);
    expect(ofPlanted(lambdaNodeProblems([{ ...handler, text: '' }, planted, fromInfra]))).toEqual([]);
  });

  it('place every test file: in a folder it runs, or one left off with why', () => {
    const stray = { path: 'test/planted/x.test.ts', text: '' };
    expect(ofPlanted(lambdaNodeProblems([stray]))).toEqual([
      'test/planted/x.test.ts: in no folder of scripts/lambda-node-tests.ts (add it to ON_LAMBDA_NODE, or to OFF_LAMBDA_NODE with why)',
    ]);
  });

  it("keep the failures the pass was made for: Node 24's undici and time zone data", () => {
    // docs/decisions.md, "The suite on the Lambdas' Node (stop 65)": the Lambdas' HTTP client and
    // their local times (that stop's DuckDB and --time-zone failures were the CLI's); each handler.
    const tests = readdirSync(path.join(root, 'test'), { recursive: true }).map((file) => `test/${file}`);
    for (const file of [
      'test/core/domo/http-request-broken-http.test.ts',
      'test/core/zoned-time.test.ts',
      'test/core/zone-abbreviations.test.ts',
      'test/ingest/handler.test.ts',
      'test/report/handler.test.ts',
      'test/alerts/handler.test.ts',
      'test/integration/ingest-against-simulator.test.ts',
    ]) {
      expect(tests, file).toContain(file);
      expect(onLambdaNode(file), file).toBe(true);
    }
    // The command line runs on the operator's Node, as likely 24: stop 65's two CLI failures.
    for (const file of [
      'test/cli/options.test.ts',
      'test/adapters/duckdb-zone-rules.test.ts',
      'test/adapters/fs-store.test.ts',
      'test/core/status/x.test.ts',
    ]) {
      expect(onLambdaNode(file), file).toBe(true);
    }
    for (const file of ['test/infra/alerts.test.ts', 'test/queries/known-answers.test.ts']) {
      expect(onLambdaNode(file), file).toBe(false);
    }
  });

  it("leave out the files of a run folder that only hold a document's text to a run, and say why", () => {
    const left = Object.keys(OFF_LAMBDA_NODE_FILES);
    expect(left).toContain('test/cli/compromised-account-runbook.test.ts');
    for (const file of left) {
      expect(onLambdaNode(file), file).toBe(false);
      expect(OFF_LAMBDA_NODE_FILES[file], file).toMatch(/tested on Node 24 by test\//);
    }
    // Their neighbours still run; an entry naming no test file is a problem, as a folder's is.
    expect(onLambdaNode('test/cli/demo-verify-simulate.test.ts')).toBe(true);
    expect(lambdaNodeProblems([{ path: 'test/cli/options.test.ts', text: '' }])).toEqual(
      expect.arrayContaining([
        'scripts/lambda-node-tests.ts: test/cli/compromised-account-runbook.test.ts names no test file',
      ]),
    );
  });
});

describe('the rule of the files a run folder leaves to Node 20 (OFF_LAMBDA_NODE_FILES)', () => {
  const tests = ['test/cli/a.test.ts', 'test/cli/b.test.ts', 'test/infra/c.test.ts'];

  it('holds when each reason names test files the Node 24 pass runs', () => {
    expect(
      offFileProblems(tests, { 'test/cli/a.test.ts': 'a text: tested on Node 24 by test/cli/b.test.ts' }),
    ).toEqual([]);
  });

  it('fails a reason that names no test file, one that is no test file, or one the pass leaves out', () => {
    expect(
      offFileProblems(tests, {
        'test/cli/a.test.ts': 'its commands are tested on Node 24 by their own files',
        'test/cli/b.test.ts': 'tested on Node 24 by test/cli/gone.test.ts and test/infra/c.test.ts',
      }),
    ).toEqual([
      `scripts/lambda-node-tests.ts: test/cli/a.test.ts's reason names no test file after "tested on Node 24 by"`,
      'scripts/lambda-node-tests.ts: test/cli/b.test.ts is left to Node 20 as tested on Node 24 by test/cli/gone.test.ts, which is no test file',
      'scripts/lambda-node-tests.ts: test/cli/b.test.ts is left to Node 20 as tested on Node 24 by test/infra/c.test.ts, which npm run test:lambda-node leaves out',
    ]);
    // A file named before the words proves nothing for Node 24.
    expect(
      offFileProblems(tests, { 'test/cli/a.test.ts': 'test/cli/b.test.ts is tested on Node 24 by' }),
    ).toHaveLength(1);
  });

  it('holds for the files listed (the whole tree is checked by the layering test)', () => {
    const files = readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' })
      .map((file) => `test/${file.split(path.sep).join('/')}`)
      .filter((file) => file.endsWith('.test.ts'));
    expect(offFileProblems(files, OFF_LAMBDA_NODE_FILES)).toEqual([]);
  });
});

describe("npm run test:lambda-node's arguments to vitest", () => {
  it('name the selection', () => {
    const args = lambdaNodeArgs([]);
    expect(args.slice(0, 3)).toEqual(['run', 'test/core/', 'test/adapters/']);
    expect(args).toEqual(expect.arrayContaining([...ON_LAMBDA_NODE, ...LAMBDA_NODE_FILES]));
    expect(args).toContain('test/cli/');
    expect(args).not.toContain('test/infra/');
    // A file of a folder run, left out: vitest's --exclude takes a path from the root as a glob.
    const at = args.indexOf('test/cli/compromised-account-runbook.test.ts');
    expect(args[at - 1]).toBe('--exclude');
    expect(lambdaNodeArgs(['test/cli/'])).not.toContain('--exclude');
  });

  it("keep the selection under the caller's options, and leave it for the caller's own files", () => {
    expect(lambdaNodeArgs(['-t', 'settle']).slice(-2)).toEqual(['-t', 'settle']);
    expect(lambdaNodeArgs(['-t', 'settle'])).toContain('test/core/');
    expect(lambdaNodeArgs(['--reporter=verbose'])).toContain('test/core/');
    // A timeout's or a pool's value is no file filter (FINALREVIEW: `--testTimeout 60000` ran no file).
    expect(lambdaNodeArgs(['--testTimeout', '60000'])).toContain('test/core/');
    expect(lambdaNodeArgs(['--pool', 'forks', '--maxWorkers', '1'])).toContain('test/core/');
    expect(lambdaNodeArgs(['test/cli/options.test.ts'])).toEqual(['run', 'test/cli/options.test.ts']);
    expect(lambdaNodeArgs(['test/', '--reporter', 'dot'])).toEqual(['run', 'test/', '--reporter', 'dot']);
  });

  it("run in CI with enough of the fault campaign's scenarios for its check that every fault is met", () => {
    // .ci/run narrows the campaign's seeded two-run scenarios on Node 24 (Node 20 runs all 160); the
    // campaign's check that each fault kind occurred passes silently below its own threshold.
    const ci = readFileSync(path.join(root, '.ci/run'), 'utf8');
    const campaign = readFileSync(path.join(root, 'test/campaign/fault-campaign.test.ts'), 'utf8');
    const scenarios = Number(/^CAMPAIGN_SCENARIOS=(\d+) npm run test:lambda-node$/m.exec(ci)?.[1]);
    const checkedFrom = Number(/outcomes\.length - scheduled\.length < (\d+)\) return;/.exec(campaign)?.[1]);
    expect(checkedFrom).toBeGreaterThan(0);
    expect(scenarios).toBeGreaterThanOrEqual(checkedFrom);
  });

  it('are what scripts/test-on-lambda-node.ts runs vitest with', () => {
    expect(readFileSync(path.join(root, 'scripts/test-on-lambda-node.ts'), 'utf8')).toContain(
      '[vitest, ...lambdaNodeArgs(process.argv.slice(2))]',
    );
  });
});
