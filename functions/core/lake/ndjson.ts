import { createGzip, type Gzip, gunzipSync, gzip, gzipSync, type ZlibOptions } from 'node:zlib';
import { errorMessage } from '../error-message.ts';

/**
 * Gzip NDJSON, the lake's data-file format: one JSON object per line, every line `\n`-terminated.
 * Athena (Hive JSON SerDe) and DuckDB read it natively; the `.gz` suffix of the key tells them to
 * decompress. Objects are never stored with `Content-Encoding: gzip` (see the S3 adapter).
 */

// Fixed level so the bytes (and so the ETag and any content hash over them) only change when the
// records do. Node writes a zero mtime in the gzip header, which keeps the output reproducible.
// Level 2: on the lake's lines (~1.5 KB, a raw entry escaped inside each) zlib's fast levels (1-3)
// compress ~2x faster than level 6; of them, 2 costs what 1 does (+0.03 µs per event, 0.7 %, on
// 118,201 demo events, alternated) for files 11 % smaller (ratio 8.6 against 7.6), which is 11 %
// less for S3 to keep and Athena to scan per query; level 3 is 12 % slower again for 2 % less.
// Objects written at level 1 stay as they are: a merge writes only when its records change.
export const LAKE_GZIP_LEVEL = 2;

/**
 * Lines of each body {@link encodeNdjsonGzip} returned, so a caller handed the body later (the
 * digest recorder counts the records of what it writes) need not gunzip it again. Weak: an entry
 * lives as long as its body.
 */
const encodedLines = new WeakMap<Uint8Array, number>();

/** The number of lines of a body this process encoded, or undefined for any other bytes. */
export const encodedLineCount = (body: Uint8Array): number | undefined => encodedLines.get(body);

/**
 * zlib's options for `bytes` of NDJSON. The output chunk is sized to hold the whole compressed
 * body (lake lines compress ~8x at the lake's level): with zlib's default of 16 KiB, a busy hour's
 * ~1 MB came back in ~8 chunks, and in the thread pool each chunk is one more round trip (~80 µs of CPU
 * here), so compressing an hour cost 13-20 % more CPU. The bytes are the same whatever the chunk
 * size (checked on 690 hours of the bench's lake); a chunk that proves too small only adds one.
 */
const gzipOptions = (bytes: Uint8Array): ZlibOptions => ({
  level: LAKE_GZIP_LEVEL,
  chunkSize: Math.max(ZLIB_DEFAULT_CHUNK, Math.floor(bytes.byteLength / 6)),
});

const ZLIB_DEFAULT_CHUNK = 16 * 1024;

/** Encodes records as gzip NDJSON. Same records in the same order → same bytes. */
export function encodeNdjsonGzip(records: readonly object[]): Uint8Array {
  const text = ndjsonBytes(records);
  return remember(gzipSync(text, gzipOptions(text)), records.length);
}

/** `zlib.gzip` as a promise (the core keeps to zlib and crypto among node's modules, not util). */
const gzipInThreadPool = (bytes: Uint8Array, options: ZlibOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    gzip(bytes, options, (error, result) => (error ? reject(error) : resolve(result)));
  });

/**
 * NDJSON below this size is compressed on the calling thread even by {@link encodeNdjsonGzipAsync}.
 * Handing a buffer to the thread pool costs ~55-70 µs of CPU per call on this project's 2-core VM
 * (stream setup, a thread wake-up, callbacks), more than level 1 takes to compress 64 KiB of lake
 * lines; quiet hours, merges of a few late events and every test's hours are that small.
 */
export const THREAD_POOL_MIN_BYTES = 64 * 1024;

/**
 * The same bytes as {@link encodeNdjsonGzip}, compressed in libuv's thread pool rather than on the
 * main thread: the ingest's JSON work and the compression of the hours it writes then use two
 * cores. Compression was ~15 % of the ingest's CPU, all of it on the one thread everything else
 * waits for. Small bodies stay on the calling thread ({@link THREAD_POOL_MIN_BYTES}).
 *
 * An hour longer than {@link GZIP_CHUNK_BYTES} of NDJSON is never held whole: its text is written
 * a chunk at a time into one zlib stream, the next chunk written while the last is compressed.
 * A busy hour of the month's bench is ~7 MB of NDJSON; two were held at once, and glibc kept the
 * freed buffers, a good part of what the 1M-event ingest's peak holds above the 100k one's
 * (docs/performance.md, "The hour encoded in chunks"). The bytes are those of one call: deflate
 * without a flush does not depend on how its input is cut (test/core/lake/ndjson-chunks.test.ts).
 */
export async function encodeNdjsonGzipAsync(records: readonly object[]): Promise<Uint8Array> {
  // The chunks after the first two are made across awaits: a caller changing the array meanwhile
  // would change the bytes. A copy of the references, not of the records (which must not change).
  const taken = records.slice();
  const chunks = ndjsonChunks(taken, GZIP_CHUNK_BYTES);
  const first = chunks.next();
  const second = chunks.next();
  // The generator yields at least one chunk, the text of no records included.
  const text = first.done ? Buffer.alloc(0) : first.value;
  if (!second.done) return remember(await gzipChunks(chunks, text, second.value), taken.length);
  const options = gzipOptions(text);
  const zipped =
    text.byteLength < THREAD_POOL_MIN_BYTES ? gzipSync(text, options) : await gzipInThreadPool(text, options);
  return remember(zipped, taken.length);
}

/**
 * NDJSON a chunk: 1 MiB, so that a chunk costs one thread-pool round trip (~70 µs) against the
 * ~10 ms zlib takes to compress it, and an hour holds two chunk buffers (one a line longer than a
 * chunk grew keeps its size for the rest of the hour: ~3 bytes a character of that line).
 */
export const GZIP_CHUNK_BYTES = 1024 * 1024;

/**
 * The gzip of the chunks `first`, `second` and the rest of `chunks`, written in turn into one
 * stream without a flush. A chunk's buffer is reused two chunks later ({@link ndjsonChunks}), so
 * the next chunk is asked for only once the one before the last has been compressed.
 */
async function gzipChunks(chunks: Iterator<Buffer>, first: Buffer, second: Buffer): Promise<Buffer> {
  // Output chunks hold a quarter of an input chunk: lake lines compress ~8x, so one write rarely
  // needs a second round trip for its output.
  const stream = createGzip({ level: LAKE_GZIP_LEVEL, chunkSize: GZIP_CHUNK_BYTES / 4 });
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((resolve, reject) => {
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  // Awaited below; until then a failure must not count as unhandled.
  ended.catch(() => undefined);
  try {
    let before = compressed(stream, first);
    for (
      let chunk: IteratorResult<Buffer> = { done: false, value: second };
      !chunk.done;
      chunk = chunks.next()
    ) {
      const current = compressed(stream, chunk.value);
      await before;
      before = current;
      // A write after zlib failed only calls back with an error: stop making the hour's text.
      if (stream.errored) break;
    }
    await before;
    stream.end();
    await ended;
  } finally {
    // A record that is no object throws from the generator: the stream is dropped, its chunks too.
    stream.destroy();
  }
  return Buffer.concat(parts);
}

/** Writes `chunk`; settles once zlib is done with it (a failure is the stream's `error`). */
const compressed = (stream: Gzip, chunk: Buffer): Promise<void> =>
  new Promise((resolve) => {
    stream.write(chunk, () => resolve());
  });

function remember(zipped: Buffer, lines: number): Uint8Array {
  const body = new Uint8Array(zipped.buffer, zipped.byteOffset, zipped.byteLength);
  encodedLines.set(body, lines);
  return body;
}

/** The NDJSON text of the records, as UTF-8 (exported for the bench's stage figures). */
export function ndjsonBytes(records: readonly object[]): Buffer {
  const [text] = ndjsonChunks(records, Number.POSITIVE_INFINITY);
  return text ?? Buffer.alloc(0);
}

/**
 * The NDJSON text of the records in chunks of at most about `chunkBytes` (a chunk ends with a
 * line's newline; a line longer than that is a chunk of its own), or in one chunk for an infinite
 * `chunkBytes`; always at least one, empty for no records. Two buffers take turns: a chunk keeps
 * its bytes until the generator is resumed twice after yielding it, so that a caller can compress
 * one chunk while the next is written.
 */
export function* ndjsonChunks(
  records: readonly object[],
  chunkBytes: number,
): Generator<Buffer, void, undefined> {
  // The text is written into one buffer as it is made. Joining the lines into one string first
  // and encoding that (a string of ~1 MB per hour) cost ~3x the JSON.stringify of the records:
  // a string that large is allocated apart from the heap and encoded again as a whole.
  // Byte 0 stands for the newline before the first line, so that every batch (below) can be
  // written over the newline that ends the text so far; it is not part of the result.
  const spare: (Buffer | undefined)[] = [undefined, undefined];
  let turn = 0;
  let out = startChunk(undefined, records.length, chunkBytes);
  let size = FIRST_BATCH;
  for (let from = 0, to = 0; from < records.length; from = to) {
    to = Math.min(records.length, from + size);
    size = writeRecords(out, records, from, to, size);
    // Room is left for a batch of the usual size at 3 bytes a character, so a chunk's buffer rarely grows.
    if (to < records.length && out.end - 1 > chunkBytes - MAX_BATCH_BYTES) {
      yield out.buffer.subarray(1, out.end);
      spare[turn] = out.buffer;
      turn ^= 1;
      out = startChunk(spare[turn], records.length - to, chunkBytes);
    }
  }
  yield out.buffer.subarray(1, out.end);
}

/** A chunk's output: `reuse` when given, else a buffer for `records` lines (a chunk's at most). */
function startChunk(reuse: Buffer | undefined, records: number, chunkBytes: number): Output {
  const bytes = Math.max(MIN_BUFFER, Math.min(chunkBytes, records * LINE_BYTES_GUESS));
  return { buffer: reuse ?? Buffer.allocUnsafe(bytes), end: 1 };
}

/** Records [from, to), as one batch or else line by line; the size of the next batch. */
function writeRecords(
  out: Output,
  records: readonly object[],
  from: number,
  to: number,
  size: number,
): number {
  const chars = writeBatch(out, records, from, to);
  if (chars !== undefined) return nextBatchSize(to - from, chars);
  writeLines(out, records, from, to);
  return size;
}

interface Output {
  buffer: Buffer;
  /** Bytes [1, end) are the text so far; byte end - 1 is its last newline (or byte 0). */
  end: number;
}

/** Room for `most` more bytes from byte `from` on, the text so far kept. */
function reserve(out: Output, from: number, most: number): void {
  if (from + most <= out.buffer.length) return;
  const grown = Buffer.allocUnsafe(Math.max(out.buffer.length * 2, from + most));
  out.buffer.copy(grown, 0, 0, out.end);
  out.buffer = grown;
}

/** One line per record, one `JSON.stringify` each: the path that names a record that is no object. */
function writeLines(out: Output, records: readonly object[], from: number, to: number): void {
  for (let index = from; index < to; index++) {
    const line = JSON.stringify(records[index]);
    // JSON.stringify returns undefined for functions/symbols; a line must be an object.
    if (typeof line !== 'string' || !line.startsWith('{')) {
      throw new Error(`NDJSON record ${index + 1} is not a JSON object`);
    }
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; + 1 for the newline.
    reserve(out, out.end, line.length * 3 + 1);
    out.end += out.buffer.write(line, out.end, 'utf8');
    out.buffer[out.end++] = NEWLINE;
  }
}

/**
 * Records [from, to) as one `JSON.stringify` of them all, its `[`, `]` and top-level commas turned
 * into newlines in the bytes; the number of characters stringified, or undefined (nothing kept)
 * when the batch must be written line by line. Why: V8 builds a string in parts that start at 32
 * characters and double; for one ~1.4 KB line it allocates ~2.7x the text (parts, then the flat
 * string), a third of what the ingest allocated. Parts of a batch's string grow to 16K characters.
 *
 * The commas are found as the bytes `},{` followed by `"` with the native `indexOf`. When every
 * record is a plain object, each top-level comma is `},{"`, or `},{}` before an empty object, and
 * the batch is kept only if no `},{}` is found and `},{"` exactly `to - from - 1` times: then the
 * ones found are the top-level ones (in nested arrays or at the end of a string they add to the
 * count). Anything else, an error included, goes line by line, which throws as it always has.
 */
function writeBatch(out: Output, records: readonly object[], from: number, to: number): number | undefined {
  let text: string;
  try {
    for (let index = from; index < to; index++) {
      if (!isPlainObject(records[index])) return undefined;
    }
    text = JSON.stringify(records.slice(from, to));
  } catch {
    return undefined;
  }
  // Written over the text's last newline: the batch's `[` takes its place, and is put back.
  const start = out.end - 1;
  // Three bytes a character is the most UTF-8 takes; only when that does not fit is the exact size
  // counted, so that an hour's buffer, sized for its lines, is not doubled for room it never uses.
  const most = text.length * 3;
  reserve(out, start, start + most <= out.buffer.length ? most : Buffer.byteLength(text, 'utf8'));
  const { buffer } = out;
  const end = start + buffer.write(text, start, 'utf8');
  buffer[start] = NEWLINE;
  if (!topLevelCommasToNewlines(buffer.subarray(start, end), to - from - 1)) {
    return undefined;
  }
  buffer[end - 1] = NEWLINE;
  out.end = end;
  return text.length;
}

/** Turns the `,` of each `},{"` into a newline; false when they are not `commas` or a `},{}` shows. */
function topLevelCommasToNewlines(batch: Buffer, commas: number): boolean {
  let found = 0;
  let at = batch.indexOf(SEPARATOR);
  while (at !== -1) {
    const next = batch[at + SEPARATOR.length];
    if (next === CLOSE_BRACE) return false;
    if (next === QUOTE) {
      found += 1;
      if (found > commas) return false;
      batch[at + 1] = NEWLINE;
    }
    at = batch.indexOf(SEPARATOR, at + SEPARATOR.length);
  }
  return found === commas;
}

/**
 * Whether `JSON.stringify` writes the value as `{...}`: an object whose prototype is Object's or
 * none (not an array, a boxed primitive, a Map...), with no `toJSON`, not a `JSON.rawJSON` value.
 */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !('toJSON' in value) && !isRawJson(value);
}

// JSON.rawJSON (Node 21+) makes a null-prototype object that JSON.stringify writes as raw text.
const isRawJson: (value: object) => boolean =
  (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON ?? (() => false);

/**
 * Records for the next batch: ~48K characters, so that its string stays below V8's large-object
 * size (128 KiB) even when it holds a character past Latin-1 and so takes two bytes a character.
 */
function nextBatchSize(records: number, chars: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor((records * BATCH_CHARS) / Math.max(1, chars))));
}

const FIRST_BATCH = 16;
const MAX_BATCH = 256;
const BATCH_CHARS = 48 * 1024;
/** The most bytes a batch's text takes: its characters at 3 bytes each (see writeBatch). */
const MAX_BATCH_BYTES = 3 * BATCH_CHARS;
const SEPARATOR = Buffer.from('},{');
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;
/** A stored event line is ~1.4 KB: room for most hours without growing the buffer. */
const LINE_BYTES_GUESS = 1600;
const MIN_BUFFER = 4096;

/**
 * Lazily parses gzip NDJSON, one record per line, so a caller that only counts or filters does not
 * hold every parsed record at once. `source` (a key or path) is named in errors.
 */
export function* iterateNdjsonGzip(bytes: Uint8Array, source = 'NDJSON data'): Generator<unknown> {
  let lineNumber = 0;
  for (const line of ndjsonGzipLines(bytes, source)) {
    lineNumber += 1;
    yield parseNdjsonLine(line, source, lineNumber);
  }
}

/**
 * The lines of gzip NDJSON as stored, without their `\n`, unparsed (what an evidence bundle hands
 * over byte for byte); a last line without its `\n` counts too. Throws naming `source` when the
 * bytes are not gzip-compressed UTF-8.
 */
export function* ndjsonGzipLines(bytes: Uint8Array, source = 'NDJSON data'): Generator<string> {
  let text: string;
  try {
    // Default flush mode: a truncated object throws instead of decoding a silent prefix.
    text = new TextDecoder('utf-8', { fatal: true }).decode(gunzipSync(bytes));
  } catch (error) {
    throw new Error(
      `${source} is not valid gzip-compressed UTF-8 (${errorMessage(error)}): the object is damaged or was not written by this tool`,
      { cause: error },
    );
  }
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length : end + 1;
    yield line;
  }
}

/** One NDJSON line's object; an error naming `source` and the line when it is not one. */
export function parseNdjsonLine(line: string, source: string, lineNumber: number): object {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const excerpt = line.length > 60 ? `${line.slice(0, 60)}…` : line;
    throw new Error(
      `${source}: line ${lineNumber} is not valid JSON (${errorMessage(error)}); it starts with ${JSON.stringify(excerpt)}`,
      { cause: error },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${source}: line ${lineNumber} is JSON but not an object`);
  }
  return value;
}

/** Parses gzip NDJSON into its records, in file order. Throws naming the first malformed line. */
export function decodeNdjsonGzip(bytes: Uint8Array, source?: string): unknown[] {
  return [...iterateNdjsonGzip(bytes, source)];
}
