import { TABLE_COLUMNS } from '../../../functions/core/lake/tables.ts';
import { type SqlLexeme, sqlLexemes } from '../../../functions/core/queries/sql-lexemes.ts';

/** The lake's tables: what Athena reads (and bills) from S3. */
export const LAKE_TABLES: readonly string[] = Object.keys(TABLE_COLUMNS);

/** One read of a lake table, after every reference to a WITH query is expanded. */
export interface TableRead {
  table: string;
  /** The partition range it reads: the parameters of its `dt` condition (`from_dt..to_dt`). */
  range: string;
}

/** A lexeme that is code: neither blank nor a comment. */
export type Code = Exclude<SqlLexeme, { kind: 'blank' | 'comment' }>;

export const isWord = (lexeme: Code | undefined, word: string) =>
  lexeme?.kind === 'word' && lexeme.text.toUpperCase() === word;
const nameOf = (lexeme: Code | undefined): string | undefined =>
  lexeme?.kind === 'word'
    ? lexeme.text.toLowerCase()
    : lexeme?.kind === 'identifier'
      ? lexeme.name
      : undefined;

/** Words that end a FROM list (`FROM a, b`) at its depth. */
const FROM_LIST_ENDS = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'WINDOW',
  'ON',
]);

/** The index of the `)` closing the `(` at `open`. */
function closing(code: readonly Code[], open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i]?.text === '(') depth++;
    else if (code[i]?.text === ')' && --depth === 0) return i;
  }
  throw new Error('unbalanced parentheses');
}

/** The partition range of the read at `at`: the names of the first `dt BETWEEN ? AND ?` after it. */
function rangeAfter(code: readonly Code[], at: number): string {
  for (let i = at; i < code.length - 4; i++) {
    if (isWord(code[i], 'DT') && isWord(code[i + 1], 'BETWEEN')) {
      return `${code[i + 2]?.kind === 'placeholder' ? (code[i + 2] as { name?: string }).name : '?'}..${
        code[i + 4]?.kind === 'placeholder' ? (code[i + 4] as { name?: string }).name : '?'
      }`;
    }
  }
  return 'every partition';
}

/** Where FROM lists (`FROM a, b`) are open, by the parenthesis depth of their FROM. */
class FromLists {
  private readonly open: number[] = [];
  depth = 0;

  /** Follows `lexeme`; true when it is a comma between the tables of an open FROM list. */
  step(lexeme: Code): boolean {
    const inList = this.open.at(-1) === this.depth;
    if (lexeme.text === '(') this.depth++;
    else if (lexeme.text === ')') {
      if (inList) this.open.pop();
      this.depth--;
    } else if (lexeme.kind === 'word' && FROM_LIST_ENDS.has(lexeme.text.toUpperCase()) && inList)
      this.open.pop();
    else if (isWord(lexeme, 'FROM')) this.open.push(this.depth);
    return lexeme.text === ',' && inList;
  }
}

/** Names read by `code` (after FROM, JOIN, or a comma of a FROM list), with where each is. */
export function references(code: readonly Code[]): { name: string; at: number }[] {
  const refs: { name: string; at: number }[] = [];
  const lists = new FromLists();
  code.forEach((lexeme, i) => {
    const listComma = lists.step(lexeme);
    if (!listComma && !isWord(lexeme, 'FROM') && !isWord(lexeme, 'JOIN')) return;
    const name = nameOf(code[i + 1]);
    // A function call (unnest(...)) or a subquery is no name.
    if (name !== undefined && code[i + 2]?.text !== '(') refs.push({ name, at: i + 1 });
  });
  return refs;
}

/** The WITH queries of `code` by name (their bodies), and where the main query starts. */
export function withQueries(code: readonly Code[]): { withs: Map<string, Code[]>; main: number } {
  const withs = new Map<string, Code[]>();
  if (!isWord(code[0], 'WITH')) return { withs, main: 0 };
  let i = 1;
  for (;;) {
    const name = nameOf(code[i]);
    if (name === undefined) throw new Error(`no WITH query name at lexeme ${i}`);
    i++;
    if (code[i]?.text === '(') i = closing(code, i) + 1; // the column names
    if (!isWord(code[i], 'AS') || code[i + 1]?.text !== '(') throw new Error(`no AS ( after ${name}`);
    const end = closing(code, i + 1);
    withs.set(name, code.slice(i + 2, end));
    i = end + 1;
    if (code[i]?.text !== ',') return { withs, main: i };
    i++;
  }
}

/**
 * Every read of a lake table by `sql` once each WITH query is expanded at each reference (Trino
 * plans and runs it again there; it does not materialise it). From the catalog's lexemes, so
 * comments and literals never count; a WITH query shadows a table of its name.
 */
export function tableReads(sql: string): TableRead[] {
  const code = [...sqlLexemes(sql)].filter((l): l is Code => l.kind !== 'blank' && l.kind !== 'comment');
  const { withs, main } = withQueries(code);
  const memo = new Map<string, TableRead[]>();
  const reads = (body: readonly Code[]): TableRead[] =>
    references(body).flatMap(({ name, at }) => {
      const inner = withs.get(name);
      if (inner) {
        const known = memo.get(name) ?? reads(inner);
        memo.set(name, known);
        return known;
      }
      return LAKE_TABLES.includes(name) ? [{ table: name, range: rangeAfter(body, at) }] : [];
    });
  return reads(code.slice(main));
}

/** How many times each table is read over each range: `table over range` -> count. */
export function readCounts(sql: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { table, range } of tableReads(sql)) {
    const key = `${table} over ${range}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Words naming a lake table that `tableReads` does not see as a read where they stand: a form the
 * counter does not follow (`TABLE activity_log`, a parenthesised join, a schema-qualified name) or
 * a column or alias spelt like a table. Either way the count above cannot be trusted for `sql`.
 */
export function unseenMentions(sql: string): string[] {
  const code = [...sqlLexemes(sql)].filter((l): l is Code => l.kind !== 'blank' && l.kind !== 'comment');
  const seen = new Set(references(code).map(({ at }) => at));
  return code.flatMap((lexeme, at) => {
    const name = nameOf(lexeme);
    return name !== undefined && LAKE_TABLES.includes(name) && !seen.has(at)
      ? [`${name} at lexeme ${at}`]
      : [];
  });
}
