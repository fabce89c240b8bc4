/**
 * The lines of a gzip NDJSON object, decompressed a chunk at a time. A busy hour of the lake is
 * ~20 MB of gzip and ~150 MB of text; gunzipping it whole (the text's bytes, then the same again as
 * a string) held ~300 MB at once, more than half of the alerts function's memory, for a run that
 * keeps a few percent of the lines.
 */
import { createGunzip } from 'node:zlib';
import { errorMessage } from '../error-message.ts';

/** Decompressed bytes per chunk: some 40 lake lines, few enough round trips to zlib's thread. */
const CHUNK_BYTES = 64 * 1024;

const damaged = (source: string, error: unknown): Error =>
  new Error(
    `${source} is not valid gzip-compressed UTF-8 (${errorMessage(error)}): the object is damaged or was not written by this tool`,
    { cause: error },
  );

/**
 * Calls `onLine` with each line of the gzip-compressed UTF-8 `bytes` and its number (from 1), in
 * order; a last line without its `\n` counts too. Throws naming `source` when the bytes are not
 * gzip, are cut short or are not UTF-8, or with what `onLine` threw.
 */
export async function forEachGzipLine(
  bytes: Uint8Array,
  source: string,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let lineNumber = 0;
  const take = (text: string): void => {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      onLine(text.slice(start, end), ++lineNumber);
      start = end + 1;
    }
    carry = text.slice(start);
  };
  gunzip.end(bytes);
  const chunks = gunzip[Symbol.asyncIterator]();
  /** The next chunk's text, or undefined at the end: only zlib's and the decoder's errors are the object's. */
  const nextText = async (): Promise<string | undefined> => {
    try {
      const next = await chunks.next();
      return next.done ? undefined : decoder.decode(next.value as Buffer, { stream: true });
    } catch (error) {
      throw damaged(source, error);
    }
  };
  try {
    for (let text = await nextText(); text !== undefined; text = await nextText()) take(carry + text);
  } finally {
    gunzip.destroy();
  }
  let rest: string;
  try {
    rest = carry + decoder.decode();
  } catch (error) {
    throw damaged(source, error);
  }
  if (rest !== '') take(`${rest}\n`);
}
