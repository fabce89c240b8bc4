#!/usr/bin/env node
// `npm test`: lint, the type check and the test suite side by side.
//
// The suite keeps both cores busy only ~85 % of its time (subprocesses, Chromium, DuckDB and the
// simulator leave gaps), and the lint and the type check fit in those gaps when the type check runs
// on one thread; one after the other they cost ~8 s more wall time on the 2-core machine (the lint
// alone ~1.5 s). Their output is held back and printed after the suite's, so nothing interleaves.
// Every step runs even when another fails, and the exit code is the first failure's (lint, types,
// suite).
//   node scripts/test.mjs [vitest arguments]   (extra arguments go to vitest, e.g. a file filter;
//   a run narrowed to some files or tests leaves coverage out: its thresholds are the whole suite's)
// First: on a Node too old, a version message instead of a later module's stack trace.
import './node-version.mjs';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { suiteArgs } from './suite-args.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * A package's command as `node <its script>`: the scripts are Node programs on every platform,
 * where node_modules/.bin holds shell or .cmd wrappers that spawn() cannot run everywhere.
 */
function nodeBin(pkg, name) {
  const dir = path.join(ROOT, 'node_modules', pkg);
  const { bin } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return [process.execPath, path.join(dir, typeof bin === 'string' ? bin : bin[name])];
}

/** Runs a command; `quiet` collects its output instead of passing it through. */
function run([command, ...pre], args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, [...pre, ...args], {
      cwd: ROOT,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(output).toString() }),
    );
  });
}

const linting = run(nodeBin('@biomejs/biome', 'biome'), ['check', '.'], { quiet: true });
// Incremental: the check keeps what it learnt in node_modules/.cache (as Vitest keeps its
// transforms), so a rerun re-checks only the files that changed and those that import them: ~3
// CPU-s instead of ~6 here. A clean clone (CI) has no cache and checks everything; `npm run build`
// always checks everything.
const tsgoArgs = [
  '-p',
  'tsconfig.check.json',
  '--noEmit',
  '--singleThreaded',
  '--incremental',
  '--tsBuildInfoFile',
  path.join('node_modules', '.cache', 'domo-activity-lake', 'typecheck.tsbuildinfo'),
];
const typeCheck = run(nodeBin('@typescript/native-preview', 'tsgo'), tsgoArgs, { quiet: true });
const suite = await run(nodeBin('vitest', 'vitest'), suiteArgs(process.argv.slice(2)));
const lint = await linting;
const types = await typeCheck;
process.stdout.write(lint.code === 0 ? 'lint (biome): clean\n' : `lint (biome) failed:\n${lint.output}`);
process.stdout.write(
  types.code === 0 ? 'type check (tsgo): no errors\n' : `type check (tsgo) failed:\n${types.output}`,
);
process.exitCode = [lint.code, types.code, suite.code].find((code) => code !== 0) ?? 0;
