import { getHeapStatistics } from 'node:v8';
import { MAX_LISTED_ROWS } from '../core/queries/query-params.ts';
import { formatCount } from '../core/report/number-format.ts';
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
 * The most rows `query` reads from one query in this process: what node's heap holds
 * (`heapLimit`, which follows `--max-old-space-size`) in `format`, never more than max_rows may
 * ask for. A query of more (max_rows 10,000,000) read them all and died of V8's out-of-memory
 * error, a fatal one no handler sees, before any other limit said a word.
 */
export function queryRowCeiling(
  format: Format | undefined,
  heapLimit: number = getHeapStatistics().heap_size_limit,
): number {
  const fitting = Math.floor((heapLimit - BASE_HEAP_BYTES) / bytesPerRow(format));
  return Math.max(1_000, Math.min(MAX_LISTED_ROWS, fitting));
}

/**
 * What `query` says when a query had more rows than {@link queryRowCeiling}: how many it read,
 * that the rest were not, and the ways to fewer rows or more heap (or CSV, whose rows take least).
 */
export function rowCeilingMessage(
  label: string,
  ceiling: number,
  format: Format | undefined,
  heapLimit: number = getHeapStatistics().heap_size_limit,
): string {
  const perRow = bytesPerRow(format);
  const heapMb = Math.round(heapLimit / 1_000_000);
  const wanted = Math.ceil((BASE_HEAP_BYTES + 2 * ceiling * perRow) / 1_000_000);
  const fewer = format === 'csv' || format === undefined ? '' : '; or --format csv, which holds more';
  const of = format === undefined ? '' : ` of ${format}`;
  return `${label} has more than ${formatCount(ceiling)} rows, the most query holds in node's ${formatCount(heapMb)} MB heap (about ${formatCount(perRow)} bytes a row${of}): nothing past them was read, and nothing was written. Ask for fewer: a lower --param max_rows, or a shorter period (--from, --to) run once per part; for --sql a LIMIT or a narrower WHERE${fewer}; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=${wanted} for twice as many`;
}
