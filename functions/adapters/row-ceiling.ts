import type { QueryRow } from '../core/ports.ts';

/**
 * A query's result over an engine's row ceiling (`maxRows` of the Athena and DuckDB engines), named
 * by its label (`query failed_logins_and_lockouts`): the query must bound its own rows, or the
 * caller (the weekly report, with 512 MB) would hold them all and run out of memory with no word of
 * which query it was. A caller with advice of its own (the `query` command) tells it by the class.
 */
export class RowCeilingError extends Error {
  override readonly name = 'RowCeilingError';

  constructor(
    /** What ran (`query user_activity`, `your SQL`). */
    readonly label: string,
    /** The ceiling: the engine read one row past it, and no further. */
    readonly maxRows: number,
  ) {
    super(
      `${label} returned more than ${maxRows.toLocaleString('en-US')} rows, the most this run reads from one query: the query must rank and limit its rows (as the catalog's do); nothing past the limit was read, and the run stops here. Read the rows with that query itself (the stack's Athena named query, or the query command), and report the week's size as a defect: no week should need this many`,
    );
  }
}

export function tooManyRows(label: string, maxRows: number): Error {
  return new RowCeilingError(label, maxRows);
}

/**
 * A query's rows over an engine's ceiling in bytes (`maxBytes` of the Athena and DuckDB engines):
 * fewer rows than `maxRows`, but wide ones (an event's `raw` text), whose values alone would fill
 * the heap. The `query` command tells it by the class and words its own advice.
 */
export class HeldBytesCeilingError extends Error {
  override readonly name = 'HeldBytesCeilingError';

  constructor(
    /** What ran (`query user_activity`, `your SQL`). */
    readonly label: string,
    /** The ceiling, in {@link rowBytes}: the engine read one row past it, and no further. */
    readonly maxBytes: number,
    /** The rows read, the one past the ceiling included. */
    readonly rowsRead: number,
  ) {
    super(
      `${label} returned rows holding more than ${Math.round(maxBytes / 1_000_000).toLocaleString('en-US')} MB of values, the most this run reads from one query: select fewer or narrower columns, or fewer rows; nothing past them was read, and the run stops here`,
    );
  }
}

/** Bytes a value other than a string is counted as (a number's 8; a boolean's and null's less). */
const SCALAR_BYTES = 8;

/** A character V8 cannot hold in one byte: a string holding one takes two bytes a character. */
const WIDE_CHARACTER = /[\u0100-\uffff]/;

/**
 * The bytes V8 holds a string's characters in: one each when all are Latin-1 (the lake's JSON and
 * addresses, mostly), else two.
 */
const stringBytes = (text: string): number => (WIDE_CHARACTER.test(text) ? 2 : 1) * text.length;

/**
 * The bytes a row's values are counted as while held: a string's characters ({@link stringBytes})
 * and 8 for any other value. Not the heap the row takes whole (its object, its slots): see
 * {@link RowLimits.leastRowBytes}.
 */
export function rowBytes(row: QueryRow): number {
  let bytes = 0;
  for (const value of Object.values(row))
    bytes += typeof value === 'string' ? stringBytes(value) : SCALAR_BYTES;
  return bytes;
}

/** The ceilings an engine reads a query's rows under; either absent: no limit of that kind. */
export interface RowLimits {
  /** Most rows. */
  maxRows?: number | undefined;
  /** Most bytes of the rows' values, as {@link rowBytes} counts them. */
  maxBytes?: number | undefined;
  /**
   * The least a row counts against `maxBytes`, however narrow its values: a row of many short
   * columns takes more heap (its object, its slots) than its text, so the rows of a query count
   * whichever is more of this and their {@link rowBytes}. Default 0.
   */
  leastRowBytes?: number | undefined;
}

/**
 * Counts a query's rows as the engine reads them, one at a time, and throws at the first row past
 * a ceiling ({@link RowCeilingError}, {@link HeldBytesCeilingError}), so nothing past it is read
 * into the heap.
 */
export class RowTally {
  private rows = 0;
  private bytes = 0;
  /** The most one row counted so far (0 before any). */
  private widest = 0;

  constructor(
    private readonly label: string,
    private readonly limits: RowLimits,
  ) {}

  /** Counts `row` in; throws if the rows counted so far pass a ceiling. */
  add(row: QueryRow): void {
    this.rows += 1;
    const { maxRows, maxBytes } = this.limits;
    if (maxRows !== undefined && this.rows > maxRows) throw tooManyRows(this.label, maxRows);
    if (maxBytes === undefined) return;
    const bytes = Math.max(this.limits.leastRowBytes ?? 0, rowBytes(row));
    this.bytes += bytes;
    this.widest = Math.max(this.widest, bytes);
    if (this.bytes > maxBytes) throw new HeldBytesCeilingError(this.label, maxBytes, this.rows);
  }

  /**
   * Rows to ask for in the next page of at most `pageSize` (Athena's GetQueryResults, whose SDK
   * parses a page whole before any of its rows is counted): as many rows as wide as the widest so
   * far as fit in the bytes left and in an eighth of `maxBytes` (the page's text is held again
   * while parsed), at least one. No ceiling in bytes, or no row yet: `pageSize`.
   */
  pageRows(pageSize: number): number {
    const { maxBytes } = this.limits;
    if (maxBytes === undefined || this.widest === 0) return pageSize;
    const room = Math.min(maxBytes - this.bytes, maxBytes / PAGE_SHARE_OF_BYTES);
    return Math.max(1, Math.min(pageSize, Math.floor(room / this.widest)));
  }
}

/** The most of a ceiling in bytes one page of rows is sized to ({@link RowTally.pageRows}). */
const PAGE_SHARE_OF_BYTES = 8;
