/**
 * A query's result over an engine's row ceiling (`maxRows` of the Athena and DuckDB engines), named
 * by its label (`query failed_logins_and_lockouts`): the query must bound its own rows, or the
 * caller (the weekly report, with 512 MB) would hold them all and run out of memory with no word of
 * which query it was.
 */
export function tooManyRows(label: string, maxRows: number): Error {
  return new Error(
    `${label} returned more than ${maxRows.toLocaleString('en-US')} rows, the most this run reads from one query: the query must rank and limit its rows (as the catalog's do); nothing past the limit was read, and the run stops here. Read the rows with that query itself (the stack's Athena named query, or the query command), and report the week's size as a defect: no week should need this many`,
  );
}
