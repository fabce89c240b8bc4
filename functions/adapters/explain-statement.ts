/**
 * An EXPLAIN of a query, which SQL run as written may be (review R-ANALYST M2: without it an analyst
 * could not see whether a filter skips files). EXPLAIN runs nothing; EXPLAIN ANALYZE runs the
 * statement it explains, which is why it was refused: so each engine lets either through only when
 * the statement explained is itself one read-only query, checked as that engine checks any SQL.
 */

/**
 * The statement `sql` explains, as written, when it is DuckDB's `EXPLAIN` or `EXPLAIN ANALYZE`
 * followed by it; undefined when `sql` is no EXPLAIN. Options (`EXPLAIN (FORMAT json)`) are not
 * taken: what follows them is not a statement of its own for the parser to read first.
 */
export function explainedStatement(sql: string): string | undefined {
  // After the blanks and comments DuckDB skips before a statement.
  const head = /^(?:\s|--[^\n]*|\/\*[\s\S]*?\*\/)*explain(?:\s+analyze)?\s/i.exec(sql);
  return head === null ? undefined : sql.slice(head[0].length);
}

/** The words an explained statement may begin with on Athena: a query (Trino's grammar), nothing else. */
const EXPLAINED_WORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);

/**
 * For Athena, which has no parser to ask: whether `bare` (the SQL outside comments and quotes,
 * read-only-sql.ts) is an EXPLAIN, and if so whether what it explains is a query. Trino writes
 * `EXPLAIN [ANALYZE] [VERBOSE] [(TYPE IO, FORMAT TEXT, ...)] statement`. Undefined: no EXPLAIN;
 * true: an EXPLAIN of a query; false: an EXPLAIN of anything else.
 */
export function athenaExplainsQuery(bare: string): boolean | undefined {
  const head =
    /^\s*explain\b\s*(?:analyze\b\s*)?(?:verbose\b\s*)?(?:\(\s*(?:type|format)\b[^()]*\)\s*)?/i.exec(bare);
  if (head === null) return undefined;
  const word = /^[\s(]*([A-Za-z_]+)/.exec(bare.slice(head[0].length))?.[1]?.toUpperCase();
  return word !== undefined && EXPLAINED_WORDS.has(word);
}
