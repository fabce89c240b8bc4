/**
 * The DuckDB functions SQL a user writes may not call, each with what it would do: a SELECT of one
 * of them passes as one read-only query, yet writes a file in the lake (`enable_logging` with a
 * file storage appends DuckDB's log to any path under it), changes the session, or runs SQL carried
 * as text (`query`, `json_execute_serialized_sql`), which no check read first (review R-SQLBOX2 M1).
 * `lock_configuration` stops none of them. Every other function is allowed: DuckDB 1.5's list
 * (`SELECT function_name, function_type FROM duckdb_functions()`) was read for the rest that write,
 * change settings or run SQL; the `pragma_*` table functions left there only read.
 */
export const DENIED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['enable_logging', "changes DuckDB's state (it turns logging on, to a file if asked)"],
  ['disable_logging', "changes DuckDB's state (it turns logging off)"],
  ['truncate_duckdb_logs', "changes DuckDB's state (it empties DuckDB's logs)"],
  ['write_log', "changes DuckDB's state (it writes to DuckDB's log, a file if logging writes to one)"],
  ['enable_profiling', "changes DuckDB's state (it turns profiling on, to a file if asked)"],
  ['disable_profiling', "changes DuckDB's state (it turns profiling off)"],
  ['enable_peg_parser', "changes DuckDB's state (it switches DuckDB's parser)"],
  ['disable_peg_parser', "changes DuckDB's state (it switches DuckDB's parser)"],
  ['checkpoint', "changes DuckDB's state (it writes a database's changes to its file)"],
  ['force_checkpoint', "changes DuckDB's state (it writes a database's changes to its file)"],
  ['setseed', "changes DuckDB's state (it sets the session's random seed)"],
  ['query', 'runs SQL given as text, unchecked'],
  ['query_table', 'runs SQL given as text, unchecked'],
  ['json_execute_serialized_sql', 'runs SQL given as text, unchecked'],
  ['arrow_scan', 'reads memory at an address given as a number'],
  ['arrow_scan_dumb', 'reads memory at an address given as a number'],
]);

/** A function of {@link DENIED_FUNCTIONS} that SQL calls: its name as written, and what it would do. */
interface DeniedCall {
  readonly name: string;
  readonly does: string;
}

/**
 * The first function of {@link DENIED_FUNCTIONS} that the statements `tree` (what
 * `json_serialize_sql` returns for them: the parser's reading, nothing bound) call, anywhere: in
 * the select list, FROM, a subquery, a CTE, a lambda. DuckDB's function names are case-insensitive,
 * and one prefixed with a schema or catalog (`system.main.query`) names the same function: the
 * tree holds its name apart from them.
 */
export function deniedCall(tree: unknown): DeniedCall | undefined {
  if (Array.isArray(tree)) {
    for (const item of tree) {
      const found = deniedCall(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (tree === null || typeof tree !== 'object') return undefined;
  const node = tree as Record<string, unknown>;
  const name = node.function_name;
  const does = typeof name === 'string' ? DENIED_FUNCTIONS.get(name.toLowerCase()) : undefined;
  if (typeof name === 'string' && does !== undefined) return { name, does };
  return deniedCall(Object.values(node));
}
