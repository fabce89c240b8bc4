// `npm run test:lambda-node`: the tests of the Lambdas' code and of the CLI on the Node the Lambdas
// run (LAMBDA_RUNTIME), which dev machines and CI do not: Node 24's undici and time zone data differ
// from Node 20's in ways the product's messages and local times follow, and one such difference went
// unseen (a broken HTTP answer read as an unreachable Domo on Lambda); operators run the CLI on their
// own Node, as likely 24. The binary is the bench's pinned one: from bench/.cache, else fetched once
// from the npm registry (`npm pack node-linux-<arch>@<version>`) and checked against its pinned
// integrity (bench/lambda-node.ts). No coverage, lint or type check (`npm test` runs those). Which
// files: scripts/lambda-node-tests.ts, held by the layering test
// (test/architecture/lambda-node-selection.ts); the CDK app, the simulator and the catalog's SQL on
// DuckDB are left to `npm test`'s Node 20. Extra arguments go to vitest; a file
// filter replaces the selection (`test/` runs every file). A machine where the binary cannot be
// had fails with the reason: a suite that skipped it would say nothing.
// LAMBDA_NODE=<path> names the binary instead (a machine the pin has none for: macOS, say).
//   node --import tsx scripts/test-on-lambda-node.ts [vitest arguments]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CACHE_DIR } from '../bench/child-bundles.ts';
import { findLambdaNode } from '../bench/lambda-node.ts';
import { LAMBDA_RUNTIME } from '../infra/constructs/lake-function.ts';
import { lambdaNodeArgs } from './lambda-node-tests.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The binary, or the reason there is none (a LAMBDA_NODE that does not run throws: said alike). */
async function lambdaNode(): ReturnType<typeof findLambdaNode> {
  try {
    return await findLambdaNode({
      runtimeName: LAMBDA_RUNTIME.name,
      cacheDir: CACHE_DIR,
      // A machine with no pinned binary (macOS, another architecture) names its own, as the bench's
      // --lambda-node does.
      given: process.env.LAMBDA_NODE || undefined,
      fetch: true,
      onFetch: (spec) =>
        console.log(`fetching ${spec} for the Lambdas' ${LAMBDA_RUNTIME.name} (npm pack, once)`),
    });
  } catch (error) {
    return {
      ok: false,
      reason: error instanceof Error ? error.message.replace('--lambda-node', 'LAMBDA_NODE') : String(error),
    };
  }
}

const found = await lambdaNode();
if (!found.ok) {
  // The bench's reason names its own option; here the same binary comes from the environment.
  const reason = found.reason.replace(
    'pass --lambda-node PATH',
    'set LAMBDA_NODE=<path to a Node 24 binary>',
  );
  console.error(`test:lambda-node: no Node for the Lambdas' ${LAMBDA_RUNTIME.name}: ${reason}`);
  process.exit(1);
}
const { path: node, version, source } = found.value;
console.log(`vitest on Node ${version}, the Lambdas' ${LAMBDA_RUNTIME.name} (${source})`);
const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const child = spawn(node, [vitest, ...lambdaNodeArgs(process.argv.slice(2))], {
  cwd: ROOT,
  stdio: 'inherit',
});
child.on('error', (error) => {
  console.error(`test:lambda-node: ${node}: ${error.message}`);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
