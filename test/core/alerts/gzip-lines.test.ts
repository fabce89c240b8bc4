import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { forEachGzipLine } from '../../../functions/core/alerts/gzip-lines.ts';

async function linesOf(bytes: Uint8Array): Promise<[string, number][]> {
  const lines: [string, number][] = [];
  await forEachGzipLine(bytes, 'activity_log/x.ndjson.gz', (line, n) => lines.push([line, n]));
  return lines;
}

describe('forEachGzipLine', () => {
  it('gives every line of a body many chunks long, characters split across chunks included', async () => {
    // ~1 MB: lines cross the 64 KiB chunks, and 2-, 3- and 4-byte characters fall on their edges.
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `${i} ${'é€😀x'.repeat(i % 97)}${'y'.repeat(i % 300)}`,
    );
    const got = await linesOf(gzipSync(`${lines.join('\n')}\n`));
    expect(got).toEqual(lines.map((line, i) => [line, i + 1]));
  });

  it('gives a last line without its newline, and nothing for an empty body', async () => {
    expect(await linesOf(gzipSync('a\nb'))).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(await linesOf(gzipSync(''))).toEqual([]);
  });

  it('names the object when it is cut short, not gzip or not UTF-8', async () => {
    const whole = gzipSync('{"a":1}\n'.repeat(1000));
    const damaged =
      /^activity_log\/x\.ndjson\.gz is not valid gzip-compressed UTF-8 \(.+\): the object is damaged or was not written by this tool$/;
    await expect(linesOf(whole.subarray(0, whole.length - 10))).rejects.toThrow(damaged);
    await expect(linesOf(new TextEncoder().encode('{"a":1}\n'))).rejects.toThrow(damaged);
    await expect(linesOf(gzipSync(Buffer.from([0x61, 0xff, 0x0a])))).rejects.toThrow(damaged);
  });

  it('passes on what the caller throws as it is', async () => {
    const failing = forEachGzipLine(gzipSync('a\nb\n'), 'k', (line) => {
      if (line === 'b') throw new Error('line b is wrong');
    });
    await expect(failing).rejects.toThrow(/^line b is wrong$/);
  });
});
