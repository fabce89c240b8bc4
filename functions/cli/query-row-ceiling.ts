import type { RowLimits } from '../adapters/row-ceiling.ts';
import { MAX_LISTED_ROWS } from '../core/queries/query-params.ts';
import { formatCount } from '../core/report/number-format.ts';
import { heapHoldBytes } from '../shared/run-memory.ts';
import type { Format } from './query-format.ts';

/**
 * Heap one row of `query` takes at its peak, by format: held as a row, copied for JSON's instants
 * and lists, and written as one text. Measured (helper R2QF, docs/decisions.md) with 23 columns of
 * ~330 characters (as user_activity's) at 4,000 bytes a row's ceiling: CSV wrote 92,440 rows in
 * a heap of 470 MB, where JSON died of V8's out-of-memory error, and a table died at 40,011 in one
 * of 260 MB (20,000 fit). Taken high, so that the estimate errs towards refusing.
 */
const HEAP_BYTES_PER_ROW: Readonly<Record<Format, number>> = { csv: 4_000, json: 8_000, table: 12_000 };

/** Heap the command takes before any row (its code, DuckDB's bindings, the geo data not loaded). */
const BASE_HEAP_BYTES = 100_000_000;

/** Heap a row of `format` takes at its peak; no format (the catalog's smoke test): JSON's. */
const bytesPerRow = (format: Format | undefined): number => HEAP_BYTES_PER_ROW[format ?? 'json'];

/**
 * Heap a byte of a row's values (row-ceiling.ts's `rowBytes`) takes at its peak, in any format:
 * held as a row, then written as one text. Measured (helper QBYTES, docs/decisions.md) with rows of
 * one text of 100,000 characters in a heap of 260 MB: CSV and the table died of V8's out-of-memory
 * error at 800 rows (80 MB of values) and wrote 700, JSON died at 900; about 2 bytes of heap a
 * byte past the command's own 100 MB. Taken high, as the bytes a row are, and a divisor of them, so
 * that narrow rows meet the row ceiling first.
 */
const HEAP_BYTES_PER_VALUE_BYTE = 4;

/** Heap the rows of one query may take: what node's heap holds after the command's own. */
const rowsHeap = (format: Format | undefined, heapLimit: number): number =>
  Math.max(1_000 * bytesPerRow(format), heapLimit - BASE_HEAP_BYTES);

/**
 * The most rows `query` reads from one query in this process: what node's heap holds
 * (`heapLimit`, its old space: run-memory.ts's heapHoldBytes) in `format`, never more than
 * max_rows may ask for. A query of more (max_rows 10,000,000) read them all and died of V8's
 * out-of-memory error, a fatal one no handler sees, before any other limit said a word.
 */
export function queryRowCeiling(format: Format | undefined, heapLimit: number = heapHoldBytes()): number {
  const fitting = Math.floor((heapLimit - BASE_HEAP_BYTES) / bytesPerRow(format));
  return Math.max(1_000, Math.min(MAX_LISTED_ROWS, fitting));
}

/**
 * The ceilings `query` reads one query's rows under: {@link queryRowCeiling}'s rows, and the bytes
 * of values the heap holds, each row counted as the more of its values' bytes and its share of the
 * row ceiling. Rows of a few short columns meet the row ceiling; wide ones (an event's `raw`, up to
 * the ingest's entry size each) meet the bytes first, where a row ceiling alone let them fill the
 * heap and die of V8's out-of-memory error.
 */
export function queryRowLimits(
  format: Format | undefined,
  heapLimit: number = heapHoldBytes(),
): Required<RowLimits> {
  return {
    maxRows: queryRowCeiling(format, heapLimit),
    maxBytes: Math.floor(rowsHeap(format, heapLimit) / HEAP_BYTES_PER_VALUE_BYTE),
    leastRowBytes: bytesPerRow(format) / HEAP_BYTES_PER_VALUE_BYTE,
  };
}

/** `bytes` in MB, rounded, as the messages write them. */
const megabytes = (bytes: number): string => formatCount(Math.round(bytes / 1_000_000));

/**
 * What `query` says when a query's rows held more bytes than {@link queryRowLimits} lets them: how
 * many rows it read, that the rest were not, and the ways to fewer or narrower rows or more heap.
 */
export function heldBytesMessage(
  label: string,
  maxBytes: number,
  rowsRead: number,
  heapLimit: number = heapHoldBytes(),
): string {
  const wanted = Math.ceil((BASE_HEAP_BYTES + 2 * maxBytes * HEAP_BYTES_PER_VALUE_BYTE) / 1_000_000);
  return `${label} has rows wider than query holds in node's ${megabytes(heapLimit)} MB heap: its first ${formatCount(rowsRead)} rows hold more than ${megabytes(maxBytes)} MB of values (about ${HEAP_BYTES_PER_VALUE_BYTE} bytes of heap each, held and written): nothing past them was read, and nothing was written. Ask for fewer or narrower rows: for --sql select only the columns you need (raw, an event's whole entry, is the widest) or fewer rows (a LIMIT, a narrower WHERE); for a catalog query a lower --param max_rows, or a shorter period (--from, --to) run once per part; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=${wanted} for twice as many`;
}

/**
 * What `query` says when a query had more rows than {@link queryRowCeiling}: how many it read,
 * that the rest were not, and the ways to fewer rows or more heap (or CSV, whose rows take least).
 */
export function rowCeilingMessage(
  label: string,
  ceiling: number,
  format: Format | undefined,
  heapLimit: number = heapHoldBytes(),
): string {
  const perRow = bytesPerRow(format);
  const heapMb = Math.round(heapLimit / 1_000_000);
  const wanted = Math.ceil((BASE_HEAP_BYTES + 2 * ceiling * perRow) / 1_000_000);
  const fewer = format === 'csv' || format === undefined ? '' : '; or --format csv, which holds more';
  const of = format === undefined ? '' : ` of ${format}`;
  return `${label} has more than ${formatCount(ceiling)} rows, the most query holds in node's ${formatCount(heapMb)} MB heap (about ${formatCount(perRow)} bytes a row${of}): nothing past them was read, and nothing was written. Ask for fewer: a lower --param max_rows, or a shorter period (--from, --to) run once per part; for --sql a LIMIT or a narrower WHERE${fewer}; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=${wanted} for twice as many`;
}
