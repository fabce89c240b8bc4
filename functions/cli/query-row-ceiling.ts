import { getHeapStatistics } from 'node:v8';
import { MAX_LISTED_ROWS } from '../core/queries/query-params.ts';
import { formatCount } from '../core/report/number-format.ts';

/**
 * Heap one row of `query` takes at its peak: held as a row, copied for JSON's instants and
 * lists, and written as one text. Measured: 16 columns of ~350 characters (a user_activity row has
 * 23) took 900 bytes held and 1.9 KB at the CSV's peak; JSON's copy and its longer text about
 * double that. Taken high, so that the estimate errs towards refusing.
 */
const HEAP_BYTES_PER_ROW = 4_000;

/** Heap the command takes before any row (its code, DuckDB's bindings, the geo data not loaded). */
const BASE_HEAP_BYTES = 100_000_000;

/**
 * The most rows `query` reads from one query in this process: what node's heap holds
 * (`heapLimit`, which follows `--max-old-space-size`), never more than max_rows may ask for. A
 * query of more (max_rows 10,000,000) read them all and died of V8's out-of-memory error, a fatal
 * one no handler sees, before any other limit said a word.
 */
export function queryRowCeiling(heapLimit: number = getHeapStatistics().heap_size_limit): number {
  const fitting = Math.floor((heapLimit - BASE_HEAP_BYTES) / HEAP_BYTES_PER_ROW);
  return Math.max(1_000, Math.min(MAX_LISTED_ROWS, fitting));
}

/**
 * What `query` says when a query had more rows than {@link queryRowCeiling}: how many it read,
 * that the rest were not, and the ways to fewer rows or more heap.
 */
export function rowCeilingMessage(
  label: string,
  ceiling: number,
  heapLimit: number = getHeapStatistics().heap_size_limit,
): string {
  const heapMb = Math.round(heapLimit / 1_000_000);
  const wanted = Math.ceil((BASE_HEAP_BYTES + 2 * ceiling * HEAP_BYTES_PER_ROW) / 1_000_000);
  return `${label} has more than ${formatCount(ceiling)} rows, the most query holds in node's ${formatCount(heapMb)} MB heap (about ${formatCount(HEAP_BYTES_PER_ROW)} bytes a row): nothing past them was read, and nothing was written. Ask for fewer: a lower --param max_rows, or a shorter period (--from, --to) run once per part; for --sql a LIMIT or a narrower WHERE; or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=${wanted} for twice as many`;
}
