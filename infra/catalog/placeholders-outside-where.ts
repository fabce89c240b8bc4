import { type SqlLexeme, sqlLexemes } from '../../functions/core/queries/sql-lexemes.ts';

/** The words that start a clause: the nearest one before a `?`, at its level, is its clause. */
const CLAUSES = new Set([
  'SELECT',
  'WHERE',
  'HAVING',
  'ON',
  'FROM',
  'JOIN',
  'GROUP',
  'ORDER',
  'BY',
  'LIMIT',
  'QUALIFY',
  'WINDOW',
  'VALUES',
  'USING',
]);

type Code = Exclude<SqlLexeme, { kind: 'blank' | 'comment' }>;

const isCode = (lexeme: SqlLexeme): lexeme is Code => lexeme.kind !== 'blank' && lexeme.kind !== 'comment';

/**
 * The clause the code at `index` sits in: the nearest clause word before it at its own level or an
 * enclosing one (a parenthesised group closed before it, a subquery or a call's arguments, is
 * skipped). `FILTER (WHERE …)` belongs to the SELECT list it is in, so its WHERE does not count.
 */
function clauseOf(code: readonly Code[], index: number): string {
  let depth = 0;
  let outermost = 0;
  for (let at = index - 1; at >= 0; at--) {
    const { kind, text } = code[at] as Code;
    if (text === ')') depth++;
    else if (text === '(') outermost = Math.min(outermost, --depth);
    else if (kind === 'word' && depth === outermost && CLAUSES.has(text.toUpperCase())) {
      const inFilter = code[at - 1]?.text === '(' && code[at - 2]?.text.toUpperCase() === 'FILTER';
      return inFilter ? 'SELECT' : text.toUpperCase();
    }
  }
  return '';
}

/** The parameter of each `?` of catalog SQL not in a WHERE clause, in text order, repeats included. */
export function placeholdersOutsideWhere(sql: string): string[] {
  const code = [...sqlLexemes(sql)].filter(isCode);
  return code.flatMap((lexeme, index) =>
    lexeme.kind === 'placeholder' && clauseOf(code, index) !== 'WHERE' ? [lexeme.name ?? '?'] : [],
  );
}

/**
 * The parameters of the `?`s of catalog SQL that are not in a WHERE clause, each name once, in text
 * order. AWS documents a `?` outside WHERE as unsupported ("Use parameterized queries"); the
 * project has not seen Athena refuse one (docs/decisions.md), so the console user is told which.
 */
export const parametersOutsideWhere = (sql: string): string[] => [...new Set(placeholdersOutsideWhere(sql))];

/**
 * What a saved query's description adds when some `?` is outside WHERE: which parameters, and what to
 * do if the console refuses it (the report and the command line retry with the values inlined).
 * Empty when every `?` is in a WHERE clause.
 */
export function consoleRefusalNote(sql: string): string {
  const names = parametersOutsideWhere(sql);
  if (names.length === 0) return '';
  return (
    ` The ? of ${names.join(', ')} are outside WHERE (AWS: unsupported; untested):` +
    ' if the console refuses the query, type their quoted values instead.'
  );
}
