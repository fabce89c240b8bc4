import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  encodedLineCount,
  encodeNdjsonGzip,
  encodeNdjsonGzipAsync,
  GZIP_CHUNK_BYTES,
  LAKE_GZIP_LEVEL,
  ndjsonBytes,
  ndjsonChunks,
} from '../../../functions/core/lake/ndjson.ts';

/**
 * A busy hour is encoded and gzipped a chunk at a time (ndjson.ts, encodeNdjsonGzipAsync), so the
 * ingest never holds its whole NDJSON. The lake's bytes must stay those of one gzip call over the
 * whole text: ETags and digests are over them, and every object written so far has them.
 */

/** Records of an ingest's shape and size (~1.5 KB, a raw entry escaped inside, some non-ASCII). */
const lakeLike = (i: number) => ({
  event_id: `id-${i}`,
  category: i % 3 === 0 ? 'login' : 'view',
  user_name: `User ${i % 41} Ünïcødé${i % 5 === 0 ? ' 😀' : ''}`,
  raw: JSON.stringify({
    userName: `User ${i % 41}`,
    eventText: 'Viewed "page" '.repeat(60 + (i % 40)),
    n: i,
  }),
});

/** The chunks copied: the generator writes each chunk's buffer again two chunks later. */
const copies = (records: readonly object[], chunkBytes: number): Buffer[] =>
  Array.from(ndjsonChunks(records, chunkBytes), (chunk) => Buffer.from(chunk));

/** The gzip of `parts` fed in turn to one zlib stream at the lake's level, without a flush. */
async function streamed(parts: readonly Buffer[]): Promise<Buffer> {
  const stream = createGzip({ level: LAKE_GZIP_LEVEL });
  const out: Buffer[] = [];
  stream.on('data', (part: Buffer) => out.push(part));
  const ended = new Promise((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  for (const part of parts) stream.write(part);
  stream.end();
  await ended;
  return Buffer.concat(out);
}

const wholeGzip = (records: readonly object[]) => gzipSync(ndjsonBytes(records), { level: LAKE_GZIP_LEVEL });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an hour encoded in chunks', () => {
  it('cuts the text at line ends into chunks of at most the size asked, the same text in all', () => {
    const records = Array.from({ length: 900 }, (_, i) => lakeLike(i));
    const whole = ndjsonBytes(records);
    for (const chunkBytes of [1, 10_000, 200_000, 300_000, 1_000_000]) {
      const chunks = copies(records, chunkBytes);
      expect(Buffer.concat(chunks).equals(whole)).toBe(true);
      for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a);
      // A chunk is cut once the next batch might not fit: lines past the size asked only when
      // one batch alone is larger.
      if (chunkBytes >= 200_000) {
        expect(chunks.length).toBeGreaterThan(1);
        for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(chunkBytes);
      }
    }
    expect(copies([], 1_000)).toEqual([Buffer.alloc(0)]);
    expect(copies(records, Number.POSITIVE_INFINITY)).toHaveLength(1);
  });

  it('gives zlib the same bytes whether it is fed the hour whole or in chunks, edges anywhere', async () => {
    const records = Array.from({ length: 1_500 }, (_, i) => lakeLike(i));
    const whole = ndjsonBytes(records);
    const expected = gzipSync(whole, { level: LAKE_GZIP_LEVEL });
    for (const chunkBytes of [1, 65_536, 250_000, GZIP_CHUNK_BYTES]) {
      expect((await streamed(copies(records, chunkBytes))).equals(expected)).toBe(true);
    }
    // Cuts in the middle of lines and of UTF-8 sequences too; the smallest over a few lines only.
    const cutInto = (text: Buffer, size: number) => {
      const parts: Buffer[] = [];
      for (let at = 0; at < text.byteLength; at += size) parts.push(text.subarray(at, at + size));
      return parts;
    };
    for (const size of [4_096, 65_537, 1_000_003]) {
      expect((await streamed(cutInto(whole, size))).equals(expected)).toBe(true);
    }
    const few = ndjsonBytes(records.slice(0, 20));
    const fewExpected = gzipSync(few, { level: LAKE_GZIP_LEVEL });
    expect((await streamed(cutInto(few, 7))).equals(fewExpected)).toBe(true);
  });

  it('stores the bytes of one gzip call for hours of one chunk, of several, and on their edges', async () => {
    const perRecord = ndjsonBytes([lakeLike(0)]).byteLength;
    const aroundOneChunk = Math.floor(GZIP_CHUNK_BYTES / perRecord);
    for (const count of [0, 1, 300, aroundOneChunk - 100, aroundOneChunk, aroundOneChunk + 1, 2_000, 5_000]) {
      const records = Array.from({ length: count }, (_, i) => lakeLike(i));
      const body = await encodeNdjsonGzipAsync(records);
      expect(Buffer.from(body).equals(wholeGzip(records))).toBe(true);
      expect(Buffer.from(body).equals(Buffer.from(encodeNdjsonGzip(records)))).toBe(true);
      expect(encodedLineCount(body)).toBe(count);
    }
  });

  it('never allocates a buffer for the whole of a busy hour', async () => {
    // ~7.5 MB of NDJSON, a busy hour of the month's bench: before, one buffer of it all.
    const records = Array.from({ length: 5_000 }, (_, i) => lakeLike(i));
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const body = await encodeNdjsonGzipAsync(records);
    const largest = Math.max(0, ...allocUnsafe.mock.calls.map(([size]) => size));
    allocUnsafe.mockRestore();
    expect(gunzipSync(body).byteLength).toBeGreaterThan(7 * GZIP_CHUNK_BYTES);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(GZIP_CHUNK_BYTES);
  });

  it('keeps the bytes of every hour when hours are encoded at once', async () => {
    // The ingest stores up to two hours at once and merges run beside them: each encode must use
    // buffers of its own (8 at once: chunk buffers shared between encodes corrupted 75 of 78).
    const hours = Array.from({ length: 8 }, (_, k) =>
      Array.from({ length: 1_500 + 400 * k }, (_, i) => lakeLike(i * 8 + k)),
    );
    const bodies = await Promise.all(hours.map((hour) => encodeNdjsonGzipAsync(hour)));
    bodies.forEach((body, k) => {
      expect(Buffer.from(body).equals(wholeGzip(hours[k] ?? []))).toBe(true);
    });
  });

  it('keeps a chunk as it was while the next one is written', () => {
    // zlib reads a chunk in the thread pool while the next is made: the two may not share bytes.
    const chunks = ndjsonChunks(
      Array.from({ length: 900 }, (_, i) => lakeLike(i)),
      200_000,
    );
    let held = chunks.next().value as Buffer;
    let copy = Buffer.from(held);
    let seen = 1;
    for (let next = chunks.next(); !next.done; next = chunks.next(), seen++) {
      expect(held.equals(copy)).toBe(true);
      held = next.value;
      copy = Buffer.from(held);
    }
    expect(seen).toBeGreaterThan(2);
  });

  it('encodes the records as they were when called, whatever the caller does to its array after', async () => {
    const records: object[] = Array.from({ length: 3_000 }, (_, i) => lakeLike(i));
    const expected = wholeGzip(records);
    const body = encodeNdjsonGzipAsync(records);
    records.push(lakeLike(99_999));
    records[2_999] = lakeLike(88_888);
    const bytes = await body;
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
    expect(encodedLineCount(bytes)).toBe(3_000);
  });

  it('stops making the hour once zlib fails, and rejects with its error', async () => {
    const records = Array.from({ length: 6_000 }, (_, i) => lakeLike(i));
    const stringify = vi.spyOn(JSON, 'stringify');
    // Node's zlib streams share one `_transform` (ZlibBase.prototype): its first call fails.
    type Transform = (
      this: unknown,
      chunk: unknown,
      encoding: unknown,
      done: (error?: Error) => void,
    ) => void;
    const base: { _transform: Transform } = Object.getPrototypeOf(Object.getPrototypeOf(createGzip()));
    const transform = base._transform;
    let writes = 0;
    vi.spyOn(base, '_transform').mockImplementation(function (this: unknown, chunk, encoding, done) {
      writes++;
      if (writes === 1) return done(new Error('zlib failed'));
      return transform.call(this, chunk, encoding, done);
    });
    await expect(encodeNdjsonGzipAsync(records)).rejects.toThrow('zlib failed');
    const calls = stringify.mock.calls.length;
    stringify.mockRestore();
    // Without the stop every batch of the ~9 MB hour was made (215 calls); with it, 38: the
    // first chunks' batches only.
    expect(calls).toBeLessThan(100);
  });

  it('names the record that is no object, past the first chunk, and encodes the next hour', async () => {
    const records: object[] = Array.from({ length: 2_000 }, (_, i) => lakeLike(i));
    records[1_700] = [1];
    await expect(encodeNdjsonGzipAsync(records)).rejects.toThrow(/record 1701 is not a JSON object/);
    // The next hour is encoded as usual.
    const next = records.slice(0, 1_700);
    expect(Buffer.from(await encodeNdjsonGzipAsync(next)).equals(wholeGzip(next))).toBe(true);
  });
});
