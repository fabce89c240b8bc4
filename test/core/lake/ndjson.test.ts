import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeNdjsonGzip,
  encodedLineCount,
  encodeNdjsonGzip,
  encodeNdjsonGzipAsync,
  iterateNdjsonGzip,
  THREAD_POOL_MIN_BYTES,
} from '../../../functions/core/lake/ndjson.ts';

const records = [
  { event_id: 'a', text: 'line\nbreak and "quotes"', n: 1, missing: null },
  { event_id: 'b', text: 'ünïcødé ✓', n: 2, missing: null },
];

const ndjsonLength = (batch: readonly object[]) => gunzipSync(encodeNdjsonGzip(batch)).byteLength;

const gz = (text: string) => new Uint8Array(gzipSync(Buffer.from(text, 'utf8')));

describe('gzip NDJSON', () => {
  it('round-trips records, one newline-terminated JSON object per line', () => {
    const bytes = encodeNdjsonGzip(records);
    expect(decodeNdjsonGzip(bytes)).toEqual(records);
    const text = gunzipSync(bytes).toString('utf8');
    const lines = text.split('\n');
    expect(lines).toHaveLength(records.length + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line))).toEqual(records);
  });

  it('produces identical bytes for identical input', () => {
    const copy = JSON.parse(JSON.stringify(records)) as typeof records;
    expect(Buffer.from(encodeNdjsonGzip(copy)).equals(Buffer.from(encodeNdjsonGzip(records)))).toBe(true);
  });

  it('encodes no records as an empty (but valid gzip) file', () => {
    expect(decodeNdjsonGzip(encodeNdjsonGzip([]))).toEqual([]);
  });

  it('refuses records that are not JSON objects', () => {
    expect(() => encodeNdjsonGzip([{ a: 1 }, [1, 2]])).toThrow(/record 2 is not a JSON object/);
  });

  it('names the line number and the source of a malformed line', () => {
    const bytes = gz('{"a":1}\n{"a":2\n{"a":3}\n');
    expect(() => decodeNdjsonGzip(bytes, 'activity_log/x.ndjson.gz')).toThrow(
      /activity_log\/x\.ndjson\.gz: line 2 is not valid JSON/,
    );
    expect(() => decodeNdjsonGzip(gz('{"a":1}\n\n{"a":3}\n'))).toThrow(/line 2 is not valid JSON/);
    expect(() => decodeNdjsonGzip(gz('{"a":1}\n[1]\n'))).toThrow(/line 2 is JSON but not an object/);
  });

  it('accepts a last line without its newline', () => {
    expect(decodeNdjsonGzip(gz('{"a":1}\n{"a":2}'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('rejects data that is not gzip, and truncated gzip, instead of returning a prefix', () => {
    expect(() => decodeNdjsonGzip(new TextEncoder().encode('{"a":1}\n'), 'k')).toThrow(/k is not valid gzip/);
    const full = encodeNdjsonGzip(Array.from({ length: 200 }, (_, i) => ({ i, pad: 'x'.repeat(i) })));
    expect(() => decodeNdjsonGzip(full.subarray(0, full.length - 12), 'k')).toThrow(/k is not valid gzip/);
  });

  it('can be consumed lazily, record by record', () => {
    const iterator = iterateNdjsonGzip(gz('{"a":1}\n{"a":2\n'));
    expect(iterator.next().value).toEqual({ a: 1 });
    expect(() => iterator.next()).toThrow(/line 2/);
  });

  it('writes exactly the JSON text of each record, lines past any buffer guess and UTF-8 included', () => {
    const long = 'é✓😀"\\\n'.repeat(5_000);
    const varied = [
      ...records,
      { big: long, lone: '\ud800 and \udfff', n: 3 },
      ...Array.from({ length: 300 }, (_, i) => ({ i, pad: 'ä'.repeat(i * 7) })),
      { last: '' },
    ];
    const bytes = encodeNdjsonGzip(varied);
    const expected = varied.map((record) => `${JSON.stringify(record)}\n`).join('');
    expect(gunzipSync(bytes).equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('knows the line count of the bodies it encoded, and of no other bytes', () => {
    const bytes = encodeNdjsonGzip(records);
    expect(encodedLineCount(bytes)).toBe(2);
    expect(encodedLineCount(encodeNdjsonGzip([]))).toBe(0);
    expect(encodedLineCount(gz('{"a":1}\n'))).toBeUndefined();
    expect(encodedLineCount(Uint8Array.from(bytes))).toBeUndefined();
  });

  it('compresses in the thread pool to exactly the bytes of the synchronous encoder', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => ({ i, text: `entry ${i} ${'é'.repeat(i % 50)}` }));
    // Just under and just over the size from which the thread pool compresses.
    const near = (bytes: number) => [{ pad: 'x'.repeat(bytes - '{"pad":""}\n'.length) }];
    expect(ndjsonLength(many)).toBeGreaterThan(THREAD_POOL_MIN_BYTES);
    expect(ndjsonLength(near(THREAD_POOL_MIN_BYTES - 1))).toBe(THREAD_POOL_MIN_BYTES - 1);
    const batches = [[], records, many, near(THREAD_POOL_MIN_BYTES - 1), near(THREAD_POOL_MIN_BYTES)];
    for (const batch of batches) {
      const body = await encodeNdjsonGzipAsync(batch);
      expect(Buffer.from(body).equals(Buffer.from(encodeNdjsonGzip(batch)))).toBe(true);
      expect(encodedLineCount(body)).toBe(batch.length);
    }
    await expect(encodeNdjsonGzipAsync([{ a: 1 }, [1]])).rejects.toThrow(/record 2 is not a JSON object/);
  });

  it("gives zlib's own bytes at the lake's level 2, whether the body compresses into one output chunk or many", async () => {
    // Lake-like lines compress ~7x and fit the encoder's output chunk; base64 noise barely compresses
    // and overflows it. Either way the bytes must be those of zlib's default chunking, which every
    // lake written so far has.
    const lakeLike = Array.from({ length: 3_000 }, (_, i) => ({ event_id: `e${i}`, raw: `{"n":${i % 97}}` }));
    const noise = Array.from({ length: 400 }, () => ({ raw: randomBytes(600).toString('base64') }));
    for (const batch of [lakeLike, noise]) {
      const text = gunzipSync(encodeNdjsonGzip(batch));
      const zlibDefault = gzipSync(text, { level: 2 });
      expect(Buffer.from(encodeNdjsonGzip(batch)).equals(zlibDefault)).toBe(true);
      expect(Buffer.from(await encodeNdjsonGzipAsync(batch)).equals(zlibDefault)).toBe(true);
    }
  });
});
