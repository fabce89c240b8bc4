import { type LakeTable, TABLE_PREFIXES } from '../lake/layout.ts';
import type { QueryParams } from '../ports.ts';
import type { QueryDefinition } from './query-definition.ts';
import { type SqlLexeme, sqlLexemes } from './sql-lexemes.ts';

/**
 * The `dt` partitions (UTC dates, `YYYY-MM-DD`) a query can read of one table: `from` and `to`
 * inclusive, either one undefined where nothing bounds it.
 */
export interface DateBounds {
  from: string | undefined;
  to: string | undefined;
}

/**
 * The dates each lake table of a catalog query is read over, from its `dt` conditions and the
 * values bound to them: an engine that must list the lake's files itself (DuckDB over a local lake)
 * then lists those dates only, however long the lake has grown. The catalog says it in its SQL, as
 * Athena needs it for partition pruning: every scan of a lake table filters `dt` with parameters,
 * e.g. `dt BETWEEN ? /* history_from_dt *\/ AND ? /* to_dt *\/` for the history a query reads before
 * its period, `dt >= ? /* from_dt *\/` for one with no end.
 *
 * Conservative by construction, since a date left out would change an answer: a table is bounded
 * only when every one of its scans is `FROM <table> [[AS] alias] WHERE ...` (no join, no comma)
 * whose WHERE clause, at its own level, joins its conditions with AND only and holds a `dt`
 * comparison with a `*_dt` parameter (a date, as the parameter checks make sure). A scan in any
 * other shape, or a table named anywhere but after FROM or JOIN, leaves that table unbounded.
 * Tables the query does not read are absent.
 */
export function lakeDatesRead(query: QueryDefinition, values: QueryParams): Map<LakeTable, DateBounds> {
  const tokens = sqlTokens(query.sql);
  // Strings this tokenizer cannot follow (DuckDB's E'…' and $$…$$; Trino has neither): the
  // conditions after them could be misread, so every table is read whole.
  const unreadable = tokens.includes(UNFOLLOWED_STRING);
  const scans = new Map<LakeTable, DateBounds[]>();
  tokens.forEach((token, index) => {
    if (!isLakeTable(token)) return;
    const before = tokens[index - 1];
    const bounds =
      !unreadable && (before === 'from' || before === 'join')
        ? scanBounds(tokens, index + 1, values)
        : UNBOUNDED;
    scans.set(token, [...(scans.get(token) ?? []), bounds]);
  });
  const read = new Map<LakeTable, DateBounds>();
  for (const [table, each] of scans) read.set(table, widest(each));
  return read;
}

const UNBOUNDED: DateBounds = { from: undefined, to: undefined };

const isLakeTable = (token: string): token is LakeTable => Object.hasOwn(TABLE_PREFIXES, token);

type Side = string | undefined;
const earlier = (a: Side, b: Side): Side => (a === undefined || b === undefined ? undefined : a < b ? a : b);
const later = (a: Side, b: Side): Side => (a === undefined || b === undefined ? undefined : a > b ? a : b);

/** Every scan's dates together (a non-empty list): a side any scan leaves open is open. */
const widest = (each: readonly DateBounds[]): DateBounds =>
  each.reduce((all, bounds) => ({ from: earlier(all.from, bounds.from), to: later(all.to, bounds.to) }));

/** Words that end a WHERE clause at its own level. */
const CLAUSE_END = new Set([
  'group',
  'order',
  'having',
  'limit',
  'offset',
  'union',
  'intersect',
  'except',
  'window',
  'qualify',
  ';',
]);
/** What may come before a `dt` condition that is a term of its own. */
const TERM_START = new Set(['where', 'and']);
/** Words and signs that may follow a `dt` condition that is one of a WHERE clause's AND-ed terms. */
const TERM_END = new Set(['and', ')', ...CLAUSE_END]);

/**
 * The dates one scan reads, its tokens starting right after the table's name: what the `dt`
 * conditions among the top-level AND-ed terms of its WHERE clause allow (all of them), or
 * {@link UNBOUNDED} when the scan is not of the shape described at {@link lakeDatesRead}.
 */
function scanBounds(tokens: readonly string[], start: number, values: QueryParams): DateBounds {
  const where = whereAfter(tokens, start);
  if (where === undefined) return UNBOUNDED;
  const clause = topLevel(tokens, where);
  if (clause.some((i) => tokens[i] === 'or' || isLakeTable(tokens[i] as string))) return UNBOUNDED;
  let bounds = UNBOUNDED;
  for (const i of clause) {
    const term =
      tokens[i] === 'dt' && TERM_START.has(tokens[i - 1] as string)
        ? dtCondition(tokens, i, values)
        : undefined;
    if (term) bounds = { from: laterOf(bounds.from, term.from), to: earlierOf(bounds.to, term.to) };
  }
  return bounds;
}

/** Where the WHERE clause of a scan starts (after the word), when the table, and an alias, are followed by one. */
function whereAfter(tokens: readonly string[], start: number): number | undefined {
  let at = start;
  if (tokens[at] === 'as') at += 1;
  if (tokens[at] !== 'where' && isWord(tokens[at])) at += 1;
  return tokens[at] === 'where' ? at + 1 : undefined;
}

/** The indexes of a clause's tokens at its own level (not in parentheses), from `start` to its end. */
function topLevel(tokens: readonly string[], start: number): number[] {
  const indexes: number[] = [];
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === '(') depth += 1;
    if (token === ')') depth -= 1;
    if (depth < 0 || (depth === 0 && CLAUSE_END.has(token))) break;
    if (depth === 0 && token !== ')') indexes.push(i);
  }
  return indexes;
}

/** Of two bounds where either may be open, the one that lets less through. */
const laterOf = (a: Side, b: Side): Side => (a === undefined ? b : b === undefined || a > b ? a : b);
const earlierOf = (a: Side, b: Side): Side => (a === undefined ? b : b === undefined || a < b ? a : b);

const isWord = (token: string | undefined): boolean =>
  token !== undefined && /^[a-z_][a-z0-9_]*$/.test(token);

/** The date a `?name` placeholder token takes, when it is a `*_dt` parameter's. */
function dateOf(token: string | undefined, values: QueryParams): string | undefined {
  const name = token?.startsWith('?') ? token.slice(1) : undefined;
  return name?.endsWith('_dt') ? values[name] : undefined;
}

/**
 * The bounds a term `dt <op> ?x` or `dt BETWEEN ?x AND ?y` starting at `i` sets; undefined when
 * the term is anything else (it then bounds nothing).
 */
function dtCondition(tokens: readonly string[], i: number, values: QueryParams): DateBounds | undefined {
  const op = tokens[i + 1];
  const first = dateOf(tokens[i + 2], values);
  if (first === undefined) return undefined;
  if (op === 'between' && tokens[i + 3] === 'and') {
    const second = dateOf(tokens[i + 4], values);
    return second !== undefined && endsTerm(tokens[i + 5]) ? { from: first, to: second } : undefined;
  }
  if (!endsTerm(tokens[i + 3])) return undefined;
  if (op === '=') return { from: first, to: first };
  if (op === '>=' || op === '>') return { from: first, to: undefined };
  if (op === '<=' || op === '<') return { from: undefined, to: first };
  return undefined;
}

const endsTerm = (token: string | undefined): boolean => token === undefined || TERM_END.has(token);

/**
 * The token of text whose end this tokenizer cannot find: DuckDB's `E'…'` or `$…$` quoting, or a
 * nested block comment.
 */
const UNFOLLOWED_STRING = '$';

/** A word as a token: lower-cased, or the start of an escape string when a quote follows `E`. */
const wordToken = (word: string, next: string | undefined): string =>
  (word === 'e' || word === 'E') && next === "'" ? UNFOLLOWED_STRING : word.toLowerCase();

/**
 * A lexeme as a token, or undefined for none: a string literal as `'`; a block comment holding
 * another `/*` as {@link UNFOLLOWED_STRING} (DuckDB nests them, so where this one ends is not where
 * the lexer thinks); other comments and blanks as nothing.
 */
function tokenOf(lexeme: SqlLexeme, sql: string): string | undefined {
  switch (lexeme.kind) {
    case 'identifier':
      return lexeme.name.toLowerCase();
    case 'placeholder':
      return `?${lexeme.name ?? ''}`;
    case 'word':
      return wordToken(lexeme.text, sql[lexeme.at + lexeme.text.length]);
    case 'sign':
      return lexeme.text;
    case 'string':
      return "'";
    case 'comment':
      return lexeme.text.startsWith('/*') && lexeme.text.includes('/*', 2) ? UNFOLLOWED_STRING : undefined;
    case 'blank':
      return undefined;
  }
}

/**
 * SQL text as tokens: words lower-cased (quoted identifiers too), each `?` placeholder as `?name`
 * (`?` when unnamed), string literals as `'`, comments dropped, and any other sign on its own;
 * the start of an escape string (`E'`) or of dollar quoting (`$`) as {@link UNFOLLOWED_STRING}.
 */
function sqlTokens(sql: string): string[] {
  const tokens: string[] = [];
  for (const lexeme of sqlLexemes(sql)) {
    const token = tokenOf(lexeme, sql);
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}
