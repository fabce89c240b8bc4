import { athenaExplainsQuery, lineCommentEnd } from './explain-statement.ts';

/**
 * SQL an engine refuses to run because it is not one read-only query: a COPY ... TO writes a file,
 * a DROP or CREATE changes the lake's views, and on Athena DDL or an UNLOAD runs with the rights
 * of whoever runs it. Engines throw it before the SQL runs or is bound (DuckDB's
 * binding an EXPORT creates its directory), so nothing of it has happened.
 */
export class NotReadOnlySqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReadOnlySqlError';
  }
}

/** What a refusal says is run instead. */
export const READ_ONLY_RULE =
  'only a single read-only query runs (SELECT, WITH, VALUES, SHOW, DESCRIBE, or EXPLAIN of a query), nothing that writes files or changes the lake';

/**
 * The SQL as Trino (Athena) tokenizes it, with comments taken out and quoted text (strings,
 * quoted and backquoted identifiers) emptied: what is left are the words and punctuation the
 * statement is made of, so a keyword or `;` inside a comment or a string cannot pass for one.
 * Trino's lexer rules (SqlBase.g4, as dt-sql-parser's TrinoSqlLexer tokenizes): `--` runs to a
 * carriage return or a line feed, so `-- x\rINSERT ...` is an INSERT (review R-SQLBOX H2); a
 * block comment ends at the first `*\/`, not nested. An unterminated comment or quote runs to the
 * end, as Athena would read it (and then refuse it).
 */
export function sqlOutsideQuotes(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    if (rest.startsWith('--')) {
      i = lineCommentEnd(sql, i);
      out += ' ';
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      out += ' ';
    } else if (rest[0] === "'" || rest[0] === '"' || rest[0] === '`') {
      i = quotedEnd(sql, i);
      out += `${rest[0]}${rest[0]}`;
    } else {
      out += rest[0];
      i += 1;
    }
  }
  return out;
}

/** Where the quoted text starting at `start` ends: its closing quote, a doubled quote escaping one. */
function quotedEnd(sql: string, start: number): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] !== quote) i += 1;
    else if (sql[i + 1] === quote) i += 2;
    else return i + 1;
  }
  return sql.length;
}

/**
 * The words a read-only Trino statement can begin with: a query, or a look at the catalog (SHOW
 * TABLES, SHOW PARTITIONS, DESCRIBE or DESC), which reads metadata only. TABLE t is Trino's
 * SELECT * FROM t. EXPLAIN is taken apart (explain-statement.ts): EXPLAIN ANALYZE runs the
 * statement it explains, an INSERT included, so only one of a query passes.
 */
const QUERY_WORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC']);

/**
 * A call of a Trino table function, which its grammar writes `TABLE(name(...))` only: the lake's
 * tables need none, and a federated catalog's `system.query(query => '...')` (or a connector's
 * `raw_query`) sends the SQL in its string to that catalog as it stands, a DELETE included, which
 * no check here reads (review R-SQLBOX2 L3). All are refused, not those names alone: a quoted
 * name is emptied in the text read, and each connector names its pass-through as it likes.
 * `TABLE t`, Trino's SELECT * FROM t, has no parenthesis after TABLE.
 */
const TABLE_FUNCTION = /\btable\s*\(/i;

/**
 * Why Athena must not be sent `sql` (undefined: one read-only query). Athena has no parser to ask
 * before StartQueryExecution, so the statement's first word outside comments and quotes decides:
 * in Trino's grammar a statement that begins with SELECT, WITH, VALUES or TABLE (after any opening
 * parentheses) is a query, and SHOW and DESCRIBE read the catalog, none of which writes; INSERT, CTAS, UNLOAD, DDL and EXPLAIN ANALYZE
 * all begin otherwise. A `;` followed by anything but blanks parts two statements: refused too.
 */
export function athenaStatementProblem(sql: string, label: string): string | undefined {
  const bare = sqlOutsideQuotes(sql)
    .trim()
    .replace(/[;\s]*$/, '');
  if (bare.includes(';')) return `${label} holds more than one statement: ${READ_ONLY_RULE}`;
  if (TABLE_FUNCTION.test(bare)) {
    return `${label} calls a table function (TABLE(...)), which on Athena may pass SQL given as text to a federated catalog (system.query), unchecked: ${READ_ONLY_RULE}`;
  }
  const explains = athenaExplainsQuery(bare);
  if (explains === true) return undefined;
  if (explains === false) return `${label} explains a statement that is not a query: ${READ_ONLY_RULE}`;
  const word = /^[\s(]*([A-Za-z_]+)/.exec(bare)?.[1]?.toUpperCase();
  if (word !== undefined && QUERY_WORDS.has(word)) return undefined;
  return `${label} is not a query (it begins with ${word ?? JSON.stringify(bare.slice(0, 20))}): ${READ_ONLY_RULE}`;
}
