import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isProjectSource,
  type SourceMapV3,
  trimSourceMap,
  trimSourceMapFile,
} from '../../infra/constructs/trim-source-map.ts';

// Generated line 0: project code at columns 0-4 (name `fn`), a dependency at 5-9 (name `dep`),
// project code again from column 10; generated line 1 starts in the dependency.
const BUNDLE_MAP: SourceMapV3 = {
  version: 3,
  sources: ['../functions/core/a.ts', '../node_modules/dep/index.js'],
  names: ['fn', 'dep'],
  mappings: 'AAAAA,KCCAC,KDEI;ACAA',
};

const lookup = (map: SourceMapV3, line: number, column: number) => {
  const { version, sources, names = [], mappings } = map;
  const payload = {
    file: 'index.mjs',
    sourceRoot: '',
    sourcesContent: [],
    version,
    sources,
    names,
    mappings,
  };
  // What Node prints for a stack frame: an entry without a source leaves the frame as it is.
  const entry: { originalSource?: string; originalLine?: number; originalColumn?: number; name?: string } =
    new SourceMap(payload).findEntry(line, column);
  return entry.originalSource === undefined
    ? undefined
    : {
        source: entry.originalSource,
        line: entry.originalLine,
        column: entry.originalColumn,
        name: entry.name,
      };
};

describe('trimSourceMap', () => {
  const trimmed = trimSourceMap(BUNDLE_MAP);

  it('keeps only the sources and names of the project', () => {
    expect(trimmed.sources).toEqual(['../functions/core/a.ts']);
    expect(trimmed.names).toEqual(['fn']);
  });

  it('maps project code exactly as the full map does', () => {
    for (const [line, column] of [
      [0, 0],
      [0, 3],
      [0, 10],
      [0, 40],
    ] as const) {
      expect(lookup(trimmed, line, column)).toEqual(lookup(BUNDLE_MAP, line, column));
      expect(lookup(trimmed, line, column)?.source).toBe('../functions/core/a.ts');
    }
    expect(lookup(trimmed, 0, 0)?.name).toBe('fn');
    expect(lookup(trimmed, 0, 10)).toMatchObject({ line: 3, column: 4 });
  });

  it('leaves dependency code unmapped rather than pinned on the project code before it', () => {
    expect(lookup(BUNDLE_MAP, 0, 6)?.source).toBe('../node_modules/dep/index.js');
    expect(lookup(trimmed, 0, 6)).toBeUndefined();
    // Also when the dependency starts a new generated line.
    expect(lookup(trimmed, 1, 0)).toBeUndefined();
    expect(lookup(trimmed, 1, 30)).toBeUndefined();
  });

  it('writes the smallest mappings that say so', () => {
    // The last `;` keeps Node from reading the final one-field segment as a mapped one.
    expect(trimmed.mappings).toBe('AAAAA,K,KAGI;A;');
  });

  it('keeps sourcesContent aligned with the sources it keeps', () => {
    const withContent = trimSourceMap({ ...BUNDLE_MAP, sourcesContent: ['project()', 'dependency()'] });
    expect(withContent.sourcesContent).toEqual(['project()']);
  });

  it('refuses a map it does not understand', () => {
    expect(() => trimSourceMap({ ...BUNDLE_MAP, version: 2 })).toThrow(/version 3/);
    expect(() => trimSourceMap({ ...BUNDLE_MAP, mappings: 'AA!A' })).toThrow(/invalid character "!"/);
  });
});

describe('isProjectSource', () => {
  it('calls anything under a node_modules folder a dependency', () => {
    expect(isProjectSource('../../functions/ingest/handler.ts')).toBe(true);
    expect(isProjectSource('../../node_modules/zod/v4/core/core.js')).toBe(false);
    expect(isProjectSource('node_modules/@aws-sdk/client-s3/dist-es/S3Client.js')).toBe(false);
    expect(isProjectSource('..\\node_modules\\zod\\index.js')).toBe(false);
    expect(isProjectSource('../functions/core/node_modules_note.ts')).toBe(true);
  });
});

describe('trimSourceMapFile', () => {
  it('rewrites the map file in place', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trim-map-'));
    try {
      const file = path.join(dir, 'index.mjs.map');
      writeFileSync(file, JSON.stringify(BUNDLE_MAP));
      trimSourceMapFile(file);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(trimSourceMap(BUNDLE_MAP));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
