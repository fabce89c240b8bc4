/**
 * An EXPLAIN of a query, which SQL run as written may be (review R-ANALYST M2: without it an analyst
 * could not see whether a filter skips files). EXPLAIN runs nothing; EXPLAIN ANALYZE runs the
 * statement it explains, which is why it was refused: so each engine lets either through only when
 * the statement explained is itself one read-only query, checked as that engine checks any SQL.
 */

/** An EXPLAIN as DuckDB reads it: whether it analyzes, and the statement it explains, as written. */
export interface DuckDbExplain {
  readonly analyze: boolean;
  readonly statement: string;
}

/**
 * The statement `sql` explains when it is DuckDB's `EXPLAIN` or `EXPLAIN ANALYZE` followed by it;
 * undefined when `sql` is no EXPLAIN. Options (`EXPLAIN (FORMAT json)`) are not taken: what
 * follows them is not a statement of its own for the parser to read first. The comments skipped
 * are DuckDB's ({@link duckDbTokenStart}): read otherwise, the words after EXPLAIN checked were
 * not those DuckDB ran (review R-SQLBOX H1); the engine runs `EXPLAIN [ANALYZE] ` + `statement`
 * all the same, never `sql`, so a reading that differs can only refuse.
 */
export function explainedStatement(sql: string): DuckDbExplain | undefined {
  const explain = wordAt(sql, duckDbTokenStart(sql, 0), 'EXPLAIN');
  if (explain === undefined) return undefined;
  const next = duckDbTokenStart(sql, explain);
  const analyze = wordAt(sql, next, 'ANALYZE');
  if (analyze === undefined) return { analyze: false, statement: sql.slice(next) };
  return { analyze: true, statement: sql.slice(duckDbTokenStart(sql, analyze)) };
}

/** Where `word` (any case) ends when it is the whole word at `at`; undefined otherwise. */
function wordAt(sql: string, at: number, word: string): number | undefined {
  const end = at + word.length;
  if (sql.slice(at, end).toUpperCase() !== word) return undefined;
  return /[\p{L}\p{N}_$]/u.test(sql[end] ?? '') ? undefined : end;
}

/**
 * Where DuckDB's next token begins from `at`, past blanks and comments as its lexer (PostgreSQL's)
 * reads them: `--` runs to a carriage return or a line feed, and block comments nest, one opened
 * inside another closing before it does. An unterminated block comment runs to the end.
 */
function duckDbTokenStart(sql: string, at: number): number {
  let i = at;
  for (;;) {
    if (/\s/.test(sql[i] ?? '')) i += 1;
    else if (sql.startsWith('--', i)) i = lineCommentEnd(sql, i);
    else if (sql.startsWith('/*', i)) i = nestedCommentEnd(sql, i);
    else return i;
  }
}

/** Where the `--` comment at `start` ends: at its carriage return or line feed, which Trino and DuckDB both end it at. */
export function lineCommentEnd(sql: string, start: number): number {
  const end = sql.slice(start).search(/[\r\n]/);
  return end === -1 ? sql.length : start + end;
}

/** Where the block comment at `start` ends, the comments opened inside it closed first. */
function nestedCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return sql.length;
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
