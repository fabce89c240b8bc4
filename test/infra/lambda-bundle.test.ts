import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DockerImage } from 'aws-cdk-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LAMBDA_NODE_PIN, runtimeMajor } from '../../bench/lambda-node.ts';
import { literalSchemaKeys } from '../../infra/constructs/esbuild-child.mjs';
import { LAMBDA_RUNTIME } from '../../infra/constructs/lake-function.ts';
import {
  assertShippable,
  BUNDLE_FILE,
  BUNDLE_TARGET,
  bundleLambda,
  localBundling,
  PROJECT_ROOT,
} from '../../infra/constructs/lambda-bundle.ts';

const ENTRY = path.join(import.meta.dirname, 'fixtures/tiny-handler.ts');
const GREETING = path.join(import.meta.dirname, 'fixtures/greeting.txt');
const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-bundle-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a function package', () => {
  it('is the bundled handler, a map of the project code only, and the files it reads beside it', async () => {
    const dir = scratch();
    // As CDK calls it: the options carry the Docker image, which local bundling never uses.
    const bundled = localBundling(ENTRY, [GREETING]).tryBundle(dir, {
      image: DockerImage.fromRegistry('local-esbuild-only'),
    });
    expect(bundled).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['greeting.txt', BUNDLE_FILE, `${BUNDLE_FILE}.map`]);

    const map = JSON.parse(readFileSync(path.join(dir, `${BUNDLE_FILE}.map`), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources.map((source) => path.basename(source))).toEqual(['tiny-handler.ts']);
    // zod is inside the bundle, not looked up at run time: the package runs from any directory.
    const code = readFileSync(path.join(dir, BUNDLE_FILE), 'utf8');
    expect(code).not.toMatch(/from ?["']zod["']/);
    const invoke = `const { handler } = await import(process.argv[1]); process.stdout.write(await handler({ name: 'Ada' }));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', invoke, path.join(dir, BUNDLE_FILE)],
      { cwd: '/' },
    );
    expect(stdout).toBe('hello, Ada');
  });

  it('fails synth with esbuild’s reason, naming the function, instead of falling back to Docker', () => {
    const dir = scratch();
    const missing = path.join(PROJECT_ROOT, 'functions/nothing/handler.ts');
    expect(() => localBundling(missing).tryBundle(dir, { image: DockerImage.fromRegistry('x') })).toThrow(
      /^bundling functions\/nothing\/handler\.ts failed: .*Could not resolve/s,
    );
    expect(existsSync(path.join(dir, BUNDLE_FILE))).toBe(false);
  });

  it('shows esbuild’s warnings during synth, naming the function, and still bundles', () => {
    const dir = scratch();
    const entry = path.join(dir, 'warns.mjs');
    writeFileSync(entry, 'export const handler = async (x) => x === -0;\n');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      bundleLambda(entry, path.join(dir, 'out'));
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/^bundling .*warns\.mjs: .*Comparison with -0/s);
    expect(existsSync(path.join(dir, 'out', BUNDLE_FILE))).toBe(true);
  });

  it('ships only files inside the repository, which every machine that synthesizes has', () => {
    for (const file of ['/etc/hosts', 'relative.sql', path.join(PROJECT_ROOT, '../elsewhere.sql')]) {
      expect(() => assertShippable([file]), file).toThrow(
        `cannot ship ${file} with a function: give an absolute path inside ${PROJECT_ROOT}`,
      );
      expect(() => localBundling(ENTRY, [file]), file).toThrow(/give an absolute path inside/);
      expect(() => bundleLambda(ENTRY, scratch(), [file]), file).toThrow(/give an absolute path inside/);
    }
  });

  it('targets the Node.js version of the functions’ runtime', () => {
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${BUNDLE_TARGET.replace('node', '')}.x`);
  });

  it('is measured by the bench on the Node release pinned for the functions’ runtime', () => {
    // One place says 24: the infra. The pin must follow it (pinnedFor refuses otherwise).
    expect(LAMBDA_NODE_PIN.version.split('.')[0]).toBe(String(runtimeMajor(LAMBDA_RUNTIME.name)));
  });
});

describe('the AWS SDK schema files, as the bundles read them', () => {
  it('have computed keys of their string constants written as the strings, which esbuild can drop', () => {
    const schemas = [
      'const _h = "http";',
      'const _hQ = "httpQuery";',
      'export var Invoke$ = [9, n0, _I, { [_h]: ["POST", "/x", 200] }, () => A$];',
      'export var A$ = [3, n0, _A, 0, [_Q], [[0, { [_hQ]: _Q }]]];',
      'const other = { [notAConstant]: 1 };',
    ].join('\n');
    expect(literalSchemaKeys(schemas).split('\n').slice(2)).toEqual([
      'export var Invoke$ = [9, n0, _I, { "http": ["POST", "/x", 200] }, () => A$];',
      'export var A$ = [3, n0, _A, 0, [_Q], [[0, { "httpQuery": _Q }]]];',
      'const other = { [notAConstant]: 1 };',
    ]);
  });
});
