import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cliFlags,
  findViolations,
  handlerFolders,
  importsOf,
  readSources,
  saveKnownSpecifiers,
  stringsOf,
} from './import-rules.ts';
import { lambdaNodeProblems } from './lambda-node-selection.ts';
import { ROOM_ALLOWED, roomEdgeProblems, roomOf, SCANNED } from './room-edges.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('the layering rules (docs/architecture.md)', () => {
  // One read of the tree for every rule, the rooms' map (room-edges.ts) too: parsing it is the
  // cost, and the specifiers saved for the next run are those of what was read.
  it('hold for the whole tree, scripts, bin and the runner config included', () => {
    const files = readSources(root, SCANNED);
    expect(handlerFolders(files)).toEqual(expect.arrayContaining(['functions/ingest', 'functions/report']));
    expect(files.filter((f) => f.path.startsWith('functions/core/')).length).toBeGreaterThan(50);
    expect(files.some((f) => f.path === 'vitest.config.ts')).toBe(true);
    expect(
      new Set(files.map((f) => roomOf(f.path))),
      'every room on disk has its row in ROOM_ALLOWED (test/architecture/room-edges.ts), each edge with ' +
        'its reason, and every row a room on disk (docs/architecture.md, "The rooms and their edges")',
    ).toEqual(new Set(Object.keys(ROOM_ALLOWED)));
    const violations = [...findViolations(files), ...roomEdgeProblems(files), ...lambdaNodeProblems(files)];
    saveKnownSpecifiers();
    expect(
      violations,
      'each line names the file and what it breaks; the rules and their reasons: docs/architecture.md, ' +
        '"The rules, and why"',
    ).toEqual([]);
    // A clean clone parses the whole tree (7.5 CPU-s): 86 s of wall time with 22 jobs on 2 cores,
    // past the default 60 s. What it checks is a list, not a time: a slow machine only waits longer.
  }, 240_000);

  it('read static, type-only, re-exported and dynamic imports, not commented-out ones', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "import * as z from 'zod';",
      "import 'side-effect';",
      "const d = await import('./d.ts');",
      "// import { e } from './e.ts';",
      "/* import { f } from './f.ts'; */",
      // TypeScript's preProcessFile, the scanner before the syntax tree, missed this form (R-SHAPE2 F1).
      "export * as g from './g.ts';",
      "export * from './h.ts';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      './a.ts',
      '../b.ts',
      './c.ts',
      'zod',
      'side-effect',
      './d.ts',
      './g.ts',
      './h.ts',
    ]);
  });

  it('read what a comment-stripping regex missed: past a `/*` string, templates, require', () => {
    const text = [
      "const glob = 'activity_log/*.ndjson.gz';",
      "const a = await import('node:fs/promises');",
      'const b = await import(`node:fs`);',
      "const c = require('node:child_process');",
      "import d = require('node:os');",
      'type E = typeof import(`./e.ts`);',
      '/** A doc comment that closes the `/*` a regex opened in the glob. */',
      "import { f } from './f.ts';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      'node:fs/promises',
      'node:fs',
      'node:child_process',
      'node:os',
      './e.ts',
      './f.ts',
    ]);
  });

  it('catch a core import hidden from a regex, or named at run time, and every way to read process', () => {
    const planted = (name: string, text: string) => ({ path: `functions/core/lake/${name}`, text });
    const files = [
      planted(
        'glob.ts',
        "const g = 'activity_log/*.ndjson.gz';\nawait import('node:fs/promises');\n/** doc */\nexport {};",
      ),
      planted('template.ts', 'await import(`node:fs`);'),
      planted('variable.ts', "const m = 'node:fs';\nawait import(m);"),
      planted('substituted.ts', "await import(`node:${'fs'}`);"),
      planted('require.ts', "const fs = require('node:fs');"),
      planted('import-equals.ts', "import fs = require('node:fs');"),
      planted('module.mjs', "import { readFileSync } from 'node:fs';"),
      planted('optional.ts', 'const region = process?.env.AWS_REGION;'),
      planted('destructured.ts', 'const { env } = process;'),
      planted('computed.ts', "const env = process['env'];"),
      planted('on-global.ts', "const p = globalThis['process'];"),
      planted('named.ts', 'const o = { process: 1 };\nconst p = o.process;'),
    ];
    expect(findViolations(files)).toEqual([
      'functions/core/lake/glob.ts: imports "node:fs/promises" (the core may import only zod, node:buffer, node:crypto, node:zlib)',
      'functions/core/lake/template.ts: imports "node:fs" (the core may import only zod, node:buffer, node:crypto, node:zlib)',
      'functions/core/lake/variable.ts: imports a module it names at run time: import(m) (write the specifier as a string)',
      "functions/core/lake/substituted.ts: imports a module it names at run time: import(`node:${'fs'}`) (write the specifier as a string)",
      'functions/core/lake/require.ts: imports "node:fs" (the core may import only zod, node:buffer, node:crypto, node:zlib)',
      'functions/core/lake/import-equals.ts: imports "node:fs" (the core may import only zod, node:buffer, node:crypto, node:zlib)',
      'functions/core/lake/module.mjs: imports "node:fs" (the core may import only zod, node:buffer, node:crypto, node:zlib)',
      'functions/core/lake/optional.ts: reads process.* (the core takes its settings as parameters)',
      'functions/core/lake/destructured.ts: reads process.* (the core takes its settings as parameters)',
      'functions/core/lake/computed.ts: reads process.* (the core takes its settings as parameters)',
      'functions/core/lake/on-global.ts: reads process.* (the core takes its settings as parameters)',
    ]);
  });

  it('catch a core read of the real clock or the random source, outside the allowlist', () => {
    const planted = (name: string, text: string) => ({ path: `functions/core/lake/${name}`, text });
    const files = [
      planted('now.ts', 'const a = Date.now();\nconst b = Date["now"]();'),
      planted('new-date.ts', 'const c = new Date();\nconst d = new Date;\nconst e = Date();'),
      planted('random.ts', 'const f = Math.random();\nconst g = Math.random;'),
      // Converting a given instant, a fixed date, a local `now`: no clock read.
      planted(
        'fine.ts',
        'const h = new Date(ms);\nconst i = Date.UTC(2026, 0, 1);\nconst j = clock.now();\nconst k = new Date(Date.UTC(2026, 0));',
      ),
      { path: 'functions/core/runtime.ts', text: 'export const systemClock = { now: () => Date.now() };' },
      { path: 'functions/adapters/x.ts', text: 'const l = Date.now();' },
    ];
    expect(findViolations(files)).toEqual([
      'functions/core/lake/now.ts: reads Date.now (take a Clock or a random source as a parameter)',
      'functions/core/lake/now.ts: reads Date["now"] (take a Clock or a random source as a parameter)',
      'functions/core/lake/new-date.ts: reads new Date() (take a Clock or a random source as a parameter)',
      'functions/core/lake/new-date.ts: reads new Date (take a Clock or a random source as a parameter)',
      'functions/core/lake/new-date.ts: reads Date() (take a Clock or a random source as a parameter)',
      'functions/core/lake/random.ts: reads Math.random (take a Clock or a random source as a parameter)',
    ]);
  });

  it('catch a core read of the clock or the random source through an alias, or by Intl with no date', () => {
    const planted = (name: string, text: string) => ({ path: `functions/core/lake/${name}`, text });
    const files = [
      planted('destructured.ts', 'const { now } = Date;\nnow();'),
      planted('parenthesised.ts', 'const a = new (Date)();'),
      planted('alias.ts', 'const D = Date;\nconst b = new D();'),
      planted('reflect.ts', 'const c = Reflect.construct(Date, []);'),
      planted('intl.ts', "const d = new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format();"),
      planted('math-alias.ts', 'const M = Math;\nconst e = M.random();'),
      // Conversions, other members, types and names: no read.
      planted(
        'fine.ts',
        [
          'const f = Date.UTC(2026, 0, 1) + Date.parse(text) + new Date(ms).getTime();',
          'const g = Math.floor(Math.max(1, 2));',
          'let h: Date | undefined;',
          'const i = { Date: 1 }.Date + row.Date;',
          'const j = formatter.format(new Date(ms));',
        ].join('\n'),
      ),
    ];
    const read = (file: string, what: string) =>
      `functions/core/lake/${file}: reads ${what} (take a Clock or a random source as a parameter)`;
    expect(findViolations(files)).toEqual([
      read('destructured.ts', 'Date'),
      read('parenthesised.ts', 'Date'),
      read('alias.ts', 'Date'),
      read('reflect.ts', 'Date'),
      read('intl.ts', "new Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format()"),
      read('math-alias.ts', 'Math'),
    ]);
  });

  it("catch a core read of the machine's time zone or locale (review R-SHAPE3 L1)", () => {
    const planted = (name: string, text: string) => ({ path: `functions/core/lake/${name}`, text });
    const files = [
      planted(
        'local-getters.ts',
        'const a = d.getHours() + d.getDate() + d.getDay() + d.getTimezoneOffset();',
      ),
      planted('local-setters.ts', 'd.setHours(0, 0, 0, 0);\nconst b = d.toDateString();'),
      planted('local-fields.ts', 'const c = new Date(2026, 0, 1);'),
      planted('to-locale.ts', "const e = d.toLocaleString();\nconst f = d.toLocaleDateString('en-GB');"),
      planted(
        'compare.ts',
        'const g = a.localeCompare(b);\nconst h = a.localeCompare(b, undefined);\nconst i = s.toLocaleUpperCase();',
      ),
      planted(
        'intl.ts',
        [
          'const j = Intl.DateTimeFormat().resolvedOptions().timeZone;',
          "const k = new Intl.DateTimeFormat('en', { hour: 'numeric' });",
          'const l = new Intl.NumberFormat();',
        ].join('\n'),
      ),
      // Named zones and locales, the UTC twins, a number's grouping, other toString()s: no read.
      planted(
        'fine.ts',
        [
          'const m = d.getUTCHours() + d.getTime() + d.getUTCDay();',
          "const n = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric' });",
          "const o = new Intl.NumberFormat('en-US').format(1234) + (5).toLocaleString('en-US');",
          "const p = a.localeCompare(b, 'en') + d.toLocaleDateString('en-GB', { timeZone: 'UTC' });",
          "const q = new Date(ms) + bytes.toString('hex') + Intl.supportedValuesOf('timeZone').length;",
          "const r = new Intl.Segmenter('en', { granularity: 'grapheme' });",
        ].join('\n'),
      ),
    ];
    const read = (file: string, what: string) =>
      `functions/core/lake/${file}: reads the machine's time zone or locale: ${what} (name them: a UTC method, a locale, a timeZone)`;
    expect(findViolations(files)).toEqual([
      read('local-getters.ts', 'd.getHours()'),
      read('local-getters.ts', 'd.getDate()'),
      read('local-getters.ts', 'd.getDay()'),
      read('local-getters.ts', 'd.getTimezoneOffset()'),
      read('local-setters.ts', 'd.setHours(0, 0, 0, 0)'),
      read('local-setters.ts', 'd.toDateString()'),
      read('local-fields.ts', 'new Date(2026, 0, 1)'),
      read('to-locale.ts', 'd.toLocaleString()'),
      read('to-locale.ts', "d.toLocaleDateString('en-GB')"),
      read('compare.ts', 'a.localeCompare(b)'),
      read('compare.ts', 'a.localeCompare(b, undefined)'),
      read('compare.ts', 's.toLocaleUpperCase()'),
      read('intl.ts', 'Intl.DateTimeFormat()'),
      read('intl.ts', "new Intl.DateTimeFormat('en', { hour: 'numeric' })"),
      read('intl.ts', 'new Intl.NumberFormat()'),
    ]);
  });

  it("catch a core file that takes the real clocks or waits from the readers' file, as a default or not", () => {
    const planted = (name: string, text: string) => ({ path: `functions/core/lake/${name}`, text });
    const files = [
      planted('default-sleep.ts', "import { realSleep } from '../runtime.ts';\nexport const s = realSleep;"),
      planted('as-js.ts', "export { systemClock } from '../runtime.js';"),
      planted('type-only.ts', "import type { Sleep } from '../ports.ts';"),
      { path: 'functions/core/ports.ts', text: 'export type Sleep = () => Promise<void>;' },
      { path: 'functions/core/runtime.ts', text: 'export const realSleep = 1;' },
      { path: 'functions/cli/x.ts', text: "import { realSleep } from '../core/runtime.ts';" },
    ];
    expect(findViolations(files)).toEqual([
      'functions/core/lake/default-sleep.ts: imports functions/core/runtime.ts (take the clock, sleep or random source as a parameter)',
      'functions/core/lake/as-js.ts: imports functions/core/runtime.ts (take the clock, sleep or random source as a parameter)',
    ]);
  });

  it('read JavaScript and the other TypeScript module files, not only .ts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-rules-'));
    try {
      mkdirSync(path.join(dir, 'functions/core'), { recursive: true });
      for (const name of ['a.ts', 'b.mts', 'c.cts', 'd.js', 'e.mjs', 'f.cjs', 'g.d.mts', 'h.json', 'i.md']) {
        writeFileSync(path.join(dir, 'functions/core', name), '');
      }
      expect(
        readSources(dir, ['functions'])
          .map((f) => f.path)
          .sort(),
      ).toEqual(
        ['a.ts', 'b.mts', 'c.cts', 'd.js', 'e.mjs', 'f.cjs', 'g.d.mts'].map((n) => `functions/core/${n}`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hold when the list kept for the next run cannot be saved, and leave no temporary file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-rules-'));
    try {
      mkdirSync(path.join(dir, 'functions/core'), { recursive: true });
      writeFileSync(
        path.join(dir, 'functions/core/a.ts'),
        "import { b } from './b.ts';\nexport const a = b;",
      );
      writeFileSync(path.join(dir, 'functions/core/b.ts'), 'export const b = 1;');
      // A folder where the list goes: it can be neither read nor replaced.
      const kept = path.join(dir, 'node_modules/.cache/domo-activity-lake');
      mkdirSync(path.join(kept, 'import-specifiers.json'), { recursive: true });
      expect(findViolations(readSources(dir, ['functions']))).toEqual([]);
      expect(() => saveKnownSpecifiers()).not.toThrow();
      expect(readdirSync(kept)).toEqual(['import-specifiers.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('catch each kind of breach', () => {
    const files = [
      { path: 'functions/ingest/handler.ts', text: '' },
      { path: 'functions/ingest/config.ts', text: '' },
      {
        path: 'functions/core/report/x.ts',
        text: [
          "import { readFileSync } from 'node:fs';",
          "import { S3ObjectStore } from '../../adapters/s3-store.ts';",
          "import { hash } from 'node:crypto';",
          "import { y } from './y.ts';",
          'const dir = process.env.QUERIES_DIR;',
        ].join('\n'),
      },
      { path: 'functions/adapters/z.ts', text: "import { main } from '../cli/main.ts';" },
      { path: 'functions/cli/w.ts', text: "import { readIngestEnv } from '../ingest/config.ts';" },
      { path: 'infra/v.ts', text: "import { ingestEnvironment } from '../functions/ingest/config.ts';" },
      { path: 'functions/ingest/u.ts', text: "import { readIngestEnv } from './config.ts';" },
    ];
    expect(findViolations(files)).toEqual([
      'functions/core/report/x.ts: reads process.* (the core takes its settings as parameters)',
      'functions/core/report/x.ts: imports "node:fs" (the core may import only zod, node:buffer, node:crypto, node:zlib)',
      'functions/core/report/x.ts: imports functions/adapters/s3-store.ts from outside the core',
      'functions/adapters/z.ts: an adapter imports the entry point functions/cli/main.ts',
      'functions/cli/w.ts: imports functions/ingest/config.ts from the handler folder functions/ingest',
    ]);
  });

  it('keep the entry points at the end of the line: CLI, shared, infra, the simulator', () => {
    const files = [
      { path: 'functions/ingest/handler.ts', text: '' },
      { path: 'functions/ingest/config.ts', text: '' },
      // A handler, or the shared Lambda code, reaching into the command line (the NodeNext spelling too).
      { path: 'functions/ingest/run.ts', text: "import { ingest } from '../cli/commands/ingest.ts';" },
      { path: 'functions/shared/x.ts', text: "import { main } from '../cli/main.js';" },
      // shared leans on the core and the adapters only, not on a handler or the query catalog.
      {
        path: 'functions/shared/y.ts',
        text: [
          "import type { Clock } from '../core/ports.ts';",
          "import { S3ObjectStore } from '../adapters/s3-store.ts';",
          "import { telemetry } from './telemetry.ts';",
          "import { catalog } from '../queries/catalog.ts';",
        ].join('\n'),
      },
      { path: 'functions/shared/telemetry.ts', text: '' },
      // infra: a handler's config.ts and the listed files, never the handler itself or the CLI.
      {
        path: 'infra/constructs/a.ts',
        text: [
          "import { ingestEnvironment } from '../../functions/ingest/config.ts';",
          "import { LAKE } from '../../functions/core/lake/layout.ts';",
          "import { catalog } from '../../functions/queries/catalog.ts';",
          "import { HANDLER_METRICS } from '../../functions/shared/telemetry.ts';",
          "import { ensureGeoDatabaseFile } from '../../functions/adapters/geo-database-build.ts';",
          "import { handler } from '../../functions/ingest/handler.ts';",
          "import { main } from '../../functions/cli/main.ts';",
          "import { S3ObjectStore } from '../../functions/adapters/s3-store.ts';",
          "import { lambdaCredentials } from '../../functions/shared/lambda-credentials.ts';",
        ].join('\n'),
      },
      // The simulator is for the command line, tests and benchmarks.
      { path: 'functions/adapters/b.ts', text: "import { createSimulator } from '../simulator/index.ts';" },
      { path: 'functions/queries/c.ts', text: "import { prng } from '../simulator/prng.ts';" },
      // A handler's folder too (review R-SHAPE2 F7).
      { path: 'functions/report/e.ts', text: "import { prng } from '../simulator/prng.ts';" },
      {
        path: 'functions/cli/commands/demo.ts',
        text: "import { createSimulator } from '../../simulator/index.ts';",
      },
      { path: 'bench/run.ts', text: "import { lakeTarget } from '../functions/cli/lake-target.ts';" },
      { path: 'test/d.test.ts', text: "import { handler } from '../functions/ingest/handler.ts';" },
    ];
    expect(findViolations(files)).toEqual([
      'functions/ingest/run.ts: imports functions/cli/commands/ingest.ts (the command line is an entry point: nothing in functions/ imports it)',
      'functions/shared/x.ts: imports functions/cli/main.ts (the command line is an entry point: nothing in functions/ imports it)',
      'functions/shared/x.ts: imports functions/cli/main.ts (functions/shared imports only the core and the adapters)',
      'functions/shared/y.ts: imports functions/queries/catalog.ts (functions/shared imports only the core and the adapters)',
      "infra/constructs/a.ts: imports functions/ingest/handler.ts (infra reads only the core, a handler's config.ts and the files its rule lists)",
      "infra/constructs/a.ts: imports functions/cli/main.ts (infra reads only the core, a handler's config.ts and the files its rule lists)",
      "infra/constructs/a.ts: imports functions/adapters/s3-store.ts (infra reads only the core, a handler's config.ts and the files its rule lists)",
      "infra/constructs/a.ts: imports functions/shared/lambda-credentials.ts (infra reads only the core, a handler's config.ts and the files its rule lists)",
      'functions/adapters/b.ts: imports functions/simulator/index.ts (production code never loads the simulator)',
      'functions/queries/c.ts: imports functions/simulator/prng.ts (production code never loads the simulator)',
      'functions/report/e.ts: imports functions/simulator/prng.ts (production code never loads the simulator)',
    ]);
  });

  it("catch infra reaching past the files it may import: a config.ts or a listed file's re-export", () => {
    const files = [
      { path: 'functions/ingest/handler.ts', text: '' },
      { path: 'functions/ingest/config.ts', text: "export { p } from './p.ts';" },
      { path: 'functions/ingest/p.ts', text: "import { lake } from '../core/lake/layout.ts';" },
      { path: 'functions/core/lake/layout.ts', text: '' },
      {
        path: 'functions/shared/telemetry.ts',
        text: "export type { S3ObjectStore } from '../adapters/s3-store.ts';",
      },
      { path: 'functions/adapters/s3-store.ts', text: '' },
      { path: 'functions/adapters/geo-database-build.ts', text: "import { f } from './geo-file.ts';" },
      { path: 'functions/adapters/geo-file.ts', text: '' },
      {
        path: 'infra/a.ts',
        text: [
          "import { p } from '../functions/ingest/config.ts';",
          "import { m } from '../functions/shared/telemetry.ts';",
          "import { g } from '../functions/adapters/geo-database-build.ts';",
        ].join('\n'),
      },
    ];
    expect(findViolations(files)).toEqual([
      'infra/ reaches functions/ingest/p.ts through functions/ingest/config.ts (list it in INFRA_REACHES with why, or cut the import)',
      'infra/ reaches functions/adapters/s3-store.ts through functions/shared/telemetry.ts (list it in INFRA_REACHES with why, or cut the import)',
    ]);
  });

  it('catch a Lambda handler reaching DuckDB, the simulator or the CLI through an edge no rule names', () => {
    const files = [
      { path: 'functions/ingest/config.ts', text: '' },
      // The handler's own file: rules 2 and 3 let a handler folder import any adapter.
      { path: 'functions/ingest/handler.ts', text: "import { run } from './run.ts';" },
      { path: 'functions/ingest/run.ts', text: "import type { E } from '../adapters/duckdb-engine.ts';" },
      {
        path: 'functions/adapters/duckdb-engine.ts',
        text: "import { DuckDBInstance } from '@duckdb/node-api';\nimport { x } from './bridge.ts';",
      },
      // Two files past the adapter: the simulator's own imports are not named again.
      { path: 'functions/adapters/bridge.ts', text: "export { m } from '../cli/main.ts';" },
      { path: 'functions/cli/main.ts', text: "import { s } from '../simulator/index.ts';" },
      { path: 'functions/simulator/index.ts', text: "export { p } from './prng.ts';" },
      { path: 'functions/simulator/prng.ts', text: '' },
      // Another handler that stays clear, and a file no handler reaches.
      { path: 'functions/report/handler.ts', text: "import { S3 } from '../adapters/s3-store.ts';" },
      { path: 'functions/adapters/s3-store.ts', text: "import { S3Client } from '@aws-sdk/client-s3';" },
      {
        path: 'functions/adapters/duckdb-cli.ts',
        text: "import { DuckDBInstance } from '@duckdb/node-api';",
      },
    ];
    const reach = (what: string, why: string, chain: string[]) =>
      `functions/ingest/handler.ts reaches ${what} (${why}: a Lambda never loads it): ${chain.join(' -> ')}`;
    const chain = [
      'functions/ingest/handler.ts',
      'functions/ingest/run.ts',
      'functions/adapters/duckdb-engine.ts',
    ];
    expect(findViolations(files)).toEqual([
      'functions/adapters/bridge.ts: an adapter imports the entry point functions/cli/main.ts',
      reach('@duckdb/node-api', "DuckDB's native binary, the local query engine", chain),
      reach('functions/cli/main.ts', 'the command line', [
        ...chain,
        'functions/adapters/bridge.ts',
        'functions/cli/main.ts',
      ]),
      reach('functions/simulator/index.ts', 'the simulator, for tests and demos', [
        ...chain,
        'functions/adapters/bridge.ts',
        'functions/cli/main.ts',
        'functions/simulator/index.ts',
      ]),
    ]);
  });

  it('catch files that import each other, directly, around a circle or through a type', () => {
    const files = [
      { path: 'functions/simulator/a.ts', text: "import type { B } from './b.ts';" },
      { path: 'functions/simulator/b.ts', text: "import { a } from './a.ts';" },
      { path: 'functions/cli/x.ts', text: "import { y } from './y.ts';" },
      { path: 'functions/cli/y.ts', text: "export { z } from './sub/z.ts';" },
      { path: 'functions/cli/sub/z.ts', text: "const x = await import('../x.ts');" },
      {
        path: 'functions/cli/leaf.ts',
        text: "import { x } from './x.ts';\nimport { a } from '../simulator/a.ts';",
      },
      { path: 'functions/core/self.ts', text: "import { me } from './self.ts';" },
    ];
    expect(findViolations(files)).toEqual([
      'functions/simulator/a.ts <-> functions/simulator/b.ts: import each other (move what they share into a file of its own)',
      'functions/cli/sub/z.ts <-> functions/cli/x.ts <-> functions/cli/y.ts: import each other (move what they share into a file of its own)',
      'functions/core/self.ts: import each other (move what they share into a file of its own)',
    ]);
  });

  it('catch a circle spelled the NodeNext way (./x.js for x.ts) or closed by a template import()', () => {
    const files = [
      { path: 'functions/core/lake/a.ts', text: "import { b } from './b.js';" },
      { path: 'functions/core/lake/b.ts', text: "import { a } from './a.ts';" },
      { path: 'functions/core/lake/c.mts', text: "import { d } from './d.mjs';" },
      { path: 'functions/core/lake/d.mts', text: "export { c } from './c.mts';" },
      { path: 'functions/core/lake/e.ts', text: "import { f } from './f.ts';" },
      { path: 'functions/core/lake/f.ts', text: 'const e = await import(`./e.ts`);' },
      // A .js file of its own is that file, not a .ts beside it.
      { path: 'functions/core/lake/g.ts', text: "import { h } from './h.js';" },
      { path: 'functions/core/lake/h.js', text: "import { g } from './g.ts';" },
      { path: 'functions/core/lake/h.ts', text: '' },
    ];
    expect(findViolations(files)).toEqual([
      'functions/core/lake/a.ts <-> functions/core/lake/b.ts: import each other (move what they share into a file of its own)',
      'functions/core/lake/c.mts <-> functions/core/lake/d.mts: import each other (move what they share into a file of its own)',
      'functions/core/lake/e.ts <-> functions/core/lake/f.ts: import each other (move what they share into a file of its own)',
      'functions/core/lake/g.ts <-> functions/core/lake/h.js: import each other (move what they share into a file of its own)',
    ]);
  });

  it("catch a core string that names a command-line flag or cdk.json, not comments or the AWS CLI's flags", () => {
    const files = [
      {
        path: 'functions/cli/commands/x.ts',
        text: "const spec = { from: { type: 'string' }, 'max-duration': { type: 'string' }, json: { type: 'boolean' } };",
      },
      {
        path: 'functions/core/ingest/plan.ts',
        text: [
          '/** Checks `ingest --from --to` (a comment may name them). */',
          'throw new Error(`--from ${a} must be before the end`);',
          "const hint = 'raise --max-duration';",
          'log.info("no flag here -- just a dash pair");',
        ].join('\n'),
      },
      {
        path: 'functions/core/report/y.ts',
        text: "throw new Error('raise report.timeoutMinutes in cdk.json');",
      },
      {
        path: 'functions/core/domo/z.ts',
        text: 'const fix = `run: aws secretsmanager put-secret-value --from ${id} --secret-string file://x`;',
      },
      {
        path: 'functions/cli/commands/w.ts',
        text: "throw new UsageError('--from must be before --to (see cdk.json)');",
      },
    ];
    expect([...cliFlags(files)].sort()).toEqual(['from', 'json', 'max-duration']);
    expect(findViolations(files)).toEqual([
      'functions/core/ingest/plan.ts: a string names the flag --from (throw a typed error; the command words it)',
      'functions/core/ingest/plan.ts: a string names the flag --max-duration (throw a typed error; the command words it)',
      'functions/core/report/y.ts: a string names cdk.json (throw a typed error; the Lambda or infra words it)',
    ]);
    expect(stringsOf("const a = 'x'; // 'not a string'\nconst b = `t ${a}`;")).toEqual(["'x'", '`t ${a}`']);
  });
});
