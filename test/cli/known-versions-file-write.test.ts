import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeKnownVersions } from '../../functions/cli/known-versions-file.ts';

// A write whose rename failed left `<file>.<pid>.tmp` beside the path, a file of the lake's object
// versions no later check removed.
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const of = { lake: '/lake', instance: 'main', nowMs: Date.UTC(2026, 11, 6), checks: 1 };
const version = { key: 'k', versionId: 'v1', etag: '"e"', sha256: 'a'.repeat(64) };

describe('writeKnownVersions', () => {
  it('leaves no temporary file when the rename over the path fails', () => {
    dir = mkdtempSync(join(tmpdir(), 'known-versions-write-'));
    // A folder that is not empty where the file goes: the rename onto it fails.
    const path = join(dir, 'known.json');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), '');
    expect(() => writeKnownVersions(path, of, [version])).toThrow();
    expect(readdirSync(dir)).toEqual(['known.json']);
  });

  it('writes the file and nothing beside it', () => {
    dir = mkdtempSync(join(tmpdir(), 'known-versions-write-'));
    const path = join(dir, 'known.json');
    expect(writeKnownVersions(path, of, [version]).entries).toBe(1);
    expect(readdirSync(dir)).toEqual(['known.json']);
  });
});
