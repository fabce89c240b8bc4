/** The bundle's files written a piece at a time, and read back a line at a time. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleFolder, fileLines, StreamedBundleFile } from '../../functions/cli/evidence-out.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-out-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

async function linesOf(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of fileLines(path)) lines.push(line);
  return lines;
}

describe("a bundle's file written a piece at a time", () => {
  it('holds every piece in order; its entry is the SHA-256 and size of all of them', () => {
    const path = join(dir, 'sub', 'events.ndjson');
    const file = new StreamedBundleFile('sub/events.ndjson', path);
    const pieces = ['{"a":"été"}\n', '', '{"b":"😀"}\n{"c":1}\n'];
    for (const piece of pieces) file.write(piece);
    const whole = pieces.join('');
    expect(file.close()).toEqual({
      path: 'sub/events.ndjson',
      sha256: sha256(whole),
      bytes: Buffer.byteLength(whole),
    });
    expect(readFileSync(path, 'utf8')).toBe(whole);
  });

  it('is created new: a file already there is refused, not written over', () => {
    const path = join(dir, 'taken.ndjson');
    writeFileSync(path, 'mine');
    expect(() => new StreamedBundleFile('taken.ndjson', path)).toThrow(/EEXIST/);
    expect(readFileSync(path, 'utf8')).toBe('mine');
  });

  it('a folder discarded closes the files still open and removes them', () => {
    const folder = new BundleFolder(join(dir, 'discarded'));
    folder.stream('events.ndjson').write('{"a":1}\n');
    folder.discard();
    expect(existsSync(folder.buildingPath)).toBe(false);
  });
});

describe("a bundle's file read a line at a time", () => {
  it('gives each line without its newline, across pieces and characters split between them', async () => {
    // Lines longer than a read (64 KiB), and a character of several bytes at the pieces' edges.
    const lines = Array.from({ length: 5 }, (_, i) => `${'é'.repeat(40_000 + i)}😀${i}`);
    const path = join(dir, 'long.ndjson');
    writeFileSync(path, lines.map((line) => `${line}\n`).join(''));
    expect(await linesOf(path)).toEqual(lines);
  });

  it('counts a last line without its newline, and no line in an empty file', async () => {
    const path = join(dir, 'short.ndjson');
    writeFileSync(path, 'a\n\nb');
    expect(await linesOf(path)).toEqual(['a', '', 'b']);
    writeFileSync(path, '');
    expect(await linesOf(path)).toEqual([]);
  });
});
