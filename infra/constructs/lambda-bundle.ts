import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { type BuildOptions, formatMessagesSync, type Message } from 'esbuild';
import { errorMessage } from '../../functions/core/error-message.ts';
import { trimSourceMapFile } from './trim-source-map.ts';

/** The repository root: esbuild's working directory, and the only place shipped files may come from. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/** The Node.js version the bundles target; it must match the functions' runtime (lake-function.ts). */
export const BUNDLE_TARGET = 'node24';

/** The file esbuild writes and Lambda loads, and the handler Lambda calls in it. */
export const BUNDLE_FILE = 'index.mjs';
export const BUNDLE_HANDLER = `${path.basename(BUNDLE_FILE, '.mjs')}.handler`;

/** esbuild settings of every function; `npm run bench` measures bundles built with these. */
export const LAMBDA_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: BUNDLE_TARGET,
  minify: true,
  // Stack traces point at the TypeScript sources (the function runs with --enable-source-maps);
  // mappings are enough for that, and embedding the sources would triple the package.
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle may call require(); give them one.
  banner: {
    js: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
  },
  // Credentials from the environment only, where Lambda puts the role's: the SDK's full chain
  // (SSO, config files, STS, metadata) is ~105 KiB each bundle compiles at every cold start.
  // Relative to the project root, esbuild's working directory. The AWS SDK itself is bundled: the
  // functions run the version the tests ran against, not whatever the runtime carries.
  alias: { '@aws-sdk/credential-provider-node': './functions/shared/lambda-credentials.ts' },
  absWorkingDir: PROJECT_ROOT,
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** The script that runs esbuild with the plugin the bundles need (esbuild-child.mjs). */
const ESBUILD_CHILD = path.join(import.meta.dirname, 'esbuild-child.mjs');

/**
 * Builds with {@link LAMBDA_BUNDLE}'s options in a child process: CDK bundles synchronously, and
 * esbuild's synchronous API takes no plugins, where the bundles need one (esbuild-child.mjs: the
 * AWS SDK's schemas of commands a function never sends are left out). Returns esbuild's warnings;
 * throws with its errors, formatted as its command line shows them.
 */
function buildInChild(options: BuildOptions): Message[] {
  const child = spawnSync(process.execPath, [ESBUILD_CHILD, JSON.stringify(options)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let answer: { warnings?: Message[]; errors?: Message[] };
  try {
    answer = JSON.parse(child.stdout);
  } catch {
    throw new Error(
      `esbuild's process ended without an answer (${child.signal ?? child.status}): ${child.stderr}`,
    );
  }
  if (answer.errors) throw new Error(formatMessagesSync(answer.errors, { kind: 'error' }).join(''));
  return answer.warnings ?? [];
}

/**
 * Checks that every file to ship beside a bundle is an absolute path inside the repository: a
 * deployment must not depend on what else happens to be on the machine that synthesizes it.
 */
export function assertShippable(files: readonly string[]): void {
  for (const file of files) {
    const relative = path.relative(PROJECT_ROOT, file);
    if (!path.isAbsolute(file) || relative.startsWith('..')) {
      throw new Error(`cannot ship ${file} with a function: give an absolute path inside ${PROJECT_ROOT}`);
    }
  }
}

/**
 * Builds a function's package into `outDir`: the handler module `entry` bundled as `index.mjs`,
 * its source map trimmed to the project's own code (Node parses the whole map at every cold
 * start), and `files` copied beside it for code that reads them at run time from its own
 * directory. Throws with esbuild's messages when the build fails.
 */
export function bundleLambda(entry: string, outDir: string, files: readonly string[] = []): void {
  assertShippable(files);
  const outfile = path.join(outDir, BUNDLE_FILE);
  const name = path.relative(PROJECT_ROOT, entry);
  let warnings: Message[];
  try {
    warnings = buildInChild({ ...LAMBDA_BUNDLE, entryPoints: [entry], outfile });
  } catch (error) {
    // esbuild's error lists each problem with its file and line; say which function it was.
    throw new Error(`bundling ${name} failed: ${errorMessage(error)}`);
  }
  // Shown as the esbuild command line showed them during synth; they do not stop it.
  for (const text of formatMessagesSync(warnings, { kind: 'warning' })) {
    process.stderr.write(`bundling ${name}: ${text}`);
  }
  trimSourceMapFile(`${outfile}.map`);
  for (const file of files) copyFileSync(file, path.join(outDir, path.basename(file)));
}

/**
 * CDK asset bundling that runs esbuild's API from the synthesizing process (the build itself in
 * one child `node` process, see {@link bundleLambda}). It never declines, so CDK never falls back
 * to Docker: synth works offline on machines without it. (The CDK's NodejsFunction ran the same
 * esbuild through `npx`, 1-2 s of npm start-up per function, plus a `node` process for each step
 * after it.)
 *
 * The entry and files are data members, not only captured by `tryBundle`: CDK keys its cache of
 * staged assets on the bundling options as JSON, where a method does not appear, so without them
 * every function of a stack got the bundle of the first one staged.
 */
export function localBundling(
  entry: string,
  files: readonly string[] = [],
): ILocalBundling & { entry: string; files: readonly string[] } {
  assertShippable(files);
  return {
    entry: path.relative(PROJECT_ROOT, entry),
    files: files.map((file) => path.relative(PROJECT_ROOT, file)),
    tryBundle(outputDir: string): boolean {
      bundleLambda(entry, outputDir, files);
      return true;
    },
  };
}
