import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources } from './import-rules.ts';
import { roomEdgeProblems } from './room-edges.ts';

describe("the rooms' allowed edges (docs/architecture.md, rule 7)", () => {
  // The whole tree is checked in import-rules.test.ts, which reads it once for every rule.
  it('fail on the edges the denylists let through', () => {
    const planted = [
      { path: 'functions/adapters/planted.ts', text: "import { logger } from '../shared/powertools.ts';" },
      {
        path: 'functions/simulator/planted.ts',
        text: "import { S3ObjectStore } from '../adapters/s3-store.ts';\nimport { x } from '../shared/telemetry.ts';",
      },
      {
        path: 'functions/queries/planted.ts',
        text: "import { DuckDbEngine } from '../adapters/duckdb-engine.ts';",
      },
      { path: 'bench/planted.ts', text: "import { it } from '../test/core/once.test.ts';" },
      { path: 'scripts/planted.mjs', text: "import { main } from '../functions/cli/main.ts';" },
      { path: 'bin/planted.js', text: "import { x } from '../bench/run.ts';" },
      // Allowed: a listed edge, an edge within a room, a package.
      {
        path: 'functions/report/planted.ts',
        text: "import { a } from '../adapters/ses-mailer.ts';\nimport { b } from './config.ts';\nimport { z } from 'zod';",
      },
    ];
    expect(roomEdgeProblems(planted)).toEqual([
      'functions/adapters/planted.ts: imports functions/shared/powertools.ts (adapters -> shared is not an allowed edge)',
      'functions/simulator/planted.ts: imports functions/adapters/s3-store.ts (simulator -> adapters is not an allowed edge)',
      'functions/simulator/planted.ts: imports functions/shared/telemetry.ts (simulator -> shared is not an allowed edge)',
      'functions/queries/planted.ts: imports functions/adapters/duckdb-engine.ts (queries -> adapters is not an allowed edge)',
      'bench/planted.ts: imports test/core/once.test.ts (bench -> test is not an allowed edge)',
      'scripts/planted.mjs: imports functions/cli/main.ts (scripts -> cli is not an allowed edge)',
      'bin/planted.js: imports bench/run.ts (bin -> bench is not an allowed edge)',
    ]);
  });

  it('fail on a room the map does not name, and on an import no rule can follow', () => {
    const planted = [
      { path: 'functions/fresh/x.ts', text: '' },
      { path: 'tools/y.ts', text: '' },
      {
        path: 'functions/adapters/z.ts',
        text: "import { a } from '#core/ports.ts';\nimport { b } from 'domo-activity-lake/functions/cli/main.ts';\nimport c from 'domo-activity-lake';\nimport d from 'domo-activity-lake-extra';",
      },
      { path: 'test/x.test.ts', text: "import { a } from '#support/memory-store.ts';" },
    ];
    expect(roomEdgeProblems(planted)).toEqual([
      "functions/fresh/x.ts: the room fresh is not in the rooms' allowed-edges map",
      "tools/y.ts: the room tools/y.ts is not in the rooms' allowed-edges map",
      'functions/adapters/z.ts: imports "#core/ports.ts" (write a relative path: no layering rule reads an alias)',
      'functions/adapters/z.ts: imports "domo-activity-lake/functions/cli/main.ts" (write a relative path: no layering rule reads an alias)',
      'functions/adapters/z.ts: imports "domo-activity-lake" (write a relative path: no layering rule reads an alias)',
      'test/x.test.ts: imports "#support/memory-store.ts" (write a relative path: no layering rule reads an alias)',
    ]);
  });

  it('refuse a symbolic link in a scanned folder: its files would read as lying where the link is', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'room-edges-'));
    try {
      mkdirSync(path.join(dir, 'functions/core/lake'), { recursive: true });
      mkdirSync(path.join(dir, 'functions/adapters'), { recursive: true });
      writeFileSync(path.join(dir, 'functions/adapters/s3-store.ts'), 'export const s = 1;');
      writeFileSync(path.join(dir, 'functions/core/lake/a.ts'), "import { s } from './zz/s3-store.ts';");
      symlinkSync('../../adapters', path.join(dir, 'functions/core/lake/zz'));
      expect(() => readSources(dir, ['functions'])).toThrow(
        'functions/core/lake/zz is a symbolic link: the layering rules read files where they lie, so no scanned folder may hold one',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
