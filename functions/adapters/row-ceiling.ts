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
