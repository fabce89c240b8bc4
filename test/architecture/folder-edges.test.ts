import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSources, type SourceFile, specifiersOf } from './import-rules.ts';

/**
 * The layering of the core's folders (docs/architecture.md, "Inside the core"): which folders each
 * folder of functions/core may import. The file-level circle check (import-rules.ts, rule 5) lets
 * two folders import each other as long as no two files do; this map does not, so a shared piece
 * has to move to the lower folder (or the root) before a new edge can close a circle.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const CORE = 'functions/core';
/** The files directly in functions/core: generic pieces every folder may use. */
const ROOT = '(root)';

/** Folder → the folders it may import (its own files always). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  [ROOT]: [],
  domo: [ROOT],
  mail: [ROOT],
  lake: [ROOT, 'domo'],
  geo: [ROOT, 'domo', 'lake'],
  queries: [ROOT, 'lake'],
  ingest: [ROOT, 'domo', 'lake', 'geo'],
  report: [ROOT, 'mail', 'lake', 'geo', 'queries'],
  alerts: [ROOT, 'mail', 'domo', 'lake', 'geo', 'ingest', 'queries'],
  status: [ROOT, 'lake', 'ingest', 'report'],
  // alerts: an alert's bundle by address keeps the events of its spray's group as the detector groups them.
  evidence: [ROOT, 'lake', 'alerts'],
};

/** The core folder of a path under functions/core: its first segment, or ROOT for a file there. */
function folderOf(file: string): string {
  const rest = file.slice(CORE.length + 1);
  const slash = rest.indexOf('/');
  return slash < 0 ? ROOT : rest.slice(0, slash);
}

const inCore = (file: string): boolean => file.startsWith(`${CORE}/`);

/**
 * Every import of one core folder by another that `allowed` does not list, one line each, and
 * every core folder the map does not name. Specifiers come from the shared scanner (importsOf, by
 * way of specifiersOf: each file parsed once for the tests here, and not at all when a run before
 * read the same text); only the folder of the target counts, so its spelling (`.ts`, `.js`) does
 * not matter here.
 */
function folderEdgeProblems(
  files: readonly SourceFile[],
  allowed: Readonly<Record<string, readonly string[]>>,
): string[] {
  const problems: string[] = [];
  for (const file of files.filter((f) => inCore(f.path))) {
    const from = folderOf(file.path);
    const may = allowed[from];
    if (may === undefined) {
      problems.push(`${file.path}: the folder ${from} is not in the core's allowed-edges map`);
      continue;
    }
    for (const specifier of specifiersOf(file).filter((s) => s.startsWith('.'))) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
      if (!inCore(target)) continue;
      const to = folderOf(target);
      if (to !== from && !may.includes(to)) {
        problems.push(`${file.path}: imports ${target} (${from} -> ${to} is not an allowed edge)`);
      }
    }
  }
  return problems;
}

/** A circle in the map itself, as the folders around it; undefined when the map is a layering. */
function circleIn(allowed: Readonly<Record<string, readonly string[]>>): string[] | undefined {
  const done = new Set<string>();
  const walk = (folder: string, trail: string[]): string[] | undefined => {
    if (trail.includes(folder)) return [...trail.slice(trail.indexOf(folder)), folder];
    if (done.has(folder)) return undefined;
    for (const next of allowed[folder] ?? []) {
      const circle = walk(next, [...trail, folder]);
      if (circle) return circle;
    }
    done.add(folder);
    return undefined;
  };
  for (const folder of Object.keys(allowed)) {
    const circle = walk(folder, []);
    if (circle) return circle;
  }
  return undefined;
}

describe("the core's folder layering (docs/architecture.md)", () => {
  const files = readSources(repo, [CORE]);

  it('holds for the whole core', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(
      folderEdgeProblems(files, ALLOWED),
      'a core folder imports its own files and the folders below it that ALLOWED (this file) names: ' +
        'move what both need down, or add the edge with its reason (docs/architecture.md, "Inside the core")',
    ).toEqual([]);
  });

  it('is a layering: no circle among the allowed edges, every folder on disk named', () => {
    expect(circleIn(ALLOWED)).toBeUndefined();
    expect(new Set(files.map((f) => folderOf(f.path)))).toEqual(new Set(Object.keys(ALLOWED)));
  });

  it('fails on an edge planted into the real tree, and on a folder the map does not name', () => {
    const planted = [
      ...files,
      // What S4 found: the lake reaching up into the ingest (a type import counts too)...
      {
        path: `${CORE}/lake/planted.ts`,
        text: "import type { IngestSummary } from '../ingest/ingest-types.ts';",
      },
      // ...the root into a folder, and one use case into the other (re-exports and `.js` alike).
      { path: `${CORE}/planted.ts`, text: "export { parseDomoTime } from './domo/domo-time.ts';" },
      { path: `${CORE}/alerts/planted.ts`, text: "import { renderText } from '../report/render-text.js';" },
      { path: `${CORE}/fresh/planted.ts`, text: "import { HOUR_MS } from '../lake/layout.ts';" },
      // Allowed: downwards, within a folder, and outside the core (rule 1 judges that).
      {
        path: `${CORE}/report/planted.ts`,
        text: "import { clip } from '../mail/clip.ts';\nimport './x.ts';",
      },
    ];
    // The planted problems only: one of the real tree is the test above's to report.
    const real = new Set(folderEdgeProblems(files, ALLOWED));
    expect(folderEdgeProblems(planted, ALLOWED).filter((p) => !real.has(p))).toEqual([
      `${CORE}/lake/planted.ts: imports ${CORE}/ingest/ingest-types.ts (lake -> ingest is not an allowed edge)`,
      `${CORE}/planted.ts: imports ${CORE}/domo/domo-time.ts ((root) -> domo is not an allowed edge)`,
      `${CORE}/alerts/planted.ts: imports ${CORE}/report/render-text.js (alerts -> report is not an allowed edge)`,
      `${CORE}/fresh/planted.ts: the folder fresh is not in the core's allowed-edges map`,
    ]);
  });

  it('finds a circle planted into the map', () => {
    expect(circleIn({ ...ALLOWED, lake: [ROOT, 'domo', 'ingest'] })).toEqual(['lake', 'ingest', 'lake']);
    expect(circleIn({ a: ['a'] })).toEqual(['a', 'a']);
  });
});
