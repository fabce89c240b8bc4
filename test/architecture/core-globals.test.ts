import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string; start: { line: number } };
}

/**
 * The Biome override of biome.json for functions/core/**, run on planted files in a directory of
 * its own (never in the tree: `npm test` runs `biome check .` beside the suite).
 */
it('biome.json denies the core the ambient globals the architecture test cannot see', () => {
  const { overrides } = JSON.parse(readFileSync(path.join(root, 'biome.json'), 'utf8'));
  const dir = mkdtempSync(path.join(tmpdir(), 'core-globals-'));
  try {
    writeFileSync(path.join(dir, 'biome.json'), JSON.stringify({ overrides }));
    const plant = (file: string, lines: string[]) => {
      mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
    };
    plant('functions/core/lake/planted.ts', [
      'const a = process?.env.AWS_REGION;',
      'const { env } = process;',
      'setTimeout(() => a, 1);',
      'setInterval(() => a, 1);',
      "const fs = require('node:fs');",
      "await fetch('https://example.com');",
      'const t = performance.now();',
      "const g = globalThis['process'];",
      // Node's alias of globalThis, code built from text, and the other waits and ambient sources
      // (review R-SHAPE2 F2, F3, F5).
      "const h = Reflect.get(global, 'process');",
      "const i = new Function('return 1')();",
      'setImmediate(() => a);',
      'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);',
      "console.log('x');",
      'const j = crypto.randomUUID();',
      // A parameter of that name is not the global.
      'export const get = (fetch: (u: string) => void) => fetch(String(env ?? fs ?? t ?? g ?? h ?? i ?? j));',
    ]);
    plant('functions/adapters/planted.ts', ['setTimeout(() => undefined, 1);']);
    let out: string;
    try {
      out = execFileSync(
        path.join(root, 'node_modules/.bin/biome'),
        ['lint', '--only=style/noRestrictedGlobals', '--reporter=json', '.'],
        { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
    } catch (error) {
      out = (error as { stdout: string }).stdout;
    }
    const found = (JSON.parse(out) as { diagnostics: Diagnostic[] }).diagnostics
      .filter((d) => d.category === 'lint/style/noRestrictedGlobals')
      .map((d) => `${d.location.path}:${d.location.start.line}: ${d.message}`);
    expect(found).toEqual([
      'functions/core/lake/planted.ts:1: Do not use the global variable process.',
      'functions/core/lake/planted.ts:2: Do not use the global variable process.',
      'functions/core/lake/planted.ts:3: Do not use the global variable setTimeout.',
      'functions/core/lake/planted.ts:4: Do not use the global variable setInterval.',
      'functions/core/lake/planted.ts:5: Do not use the global variable require.',
      'functions/core/lake/planted.ts:6: Do not use the global variable fetch.',
      'functions/core/lake/planted.ts:7: Do not use the global variable performance.',
      'functions/core/lake/planted.ts:8: Do not use the global variable globalThis.',
      'functions/core/lake/planted.ts:9: Do not use the global variable global.',
      'functions/core/lake/planted.ts:10: Do not use the global variable Function.',
      'functions/core/lake/planted.ts:11: Do not use the global variable setImmediate.',
      'functions/core/lake/planted.ts:12: Do not use the global variable Atomics.',
      'functions/core/lake/planted.ts:13: Do not use the global variable console.',
      'functions/core/lake/planted.ts:14: Do not use the global variable crypto.',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
