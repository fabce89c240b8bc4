import { sqlLexemes } from '../../../functions/core/queries/sql-lexemes.ts';
import { type Code, isWord, LAKE_TABLES, references, withQueries } from './table-reads.ts';

/**
 * Whether DuckDB's filter pushdown plans what lies under `body` twice: a GROUP BY, or windows that
 * all have a PARTITION BY. Its pushdown into such a window or aggregate plans the child for the
 * filters it may pass down, then again as under any other operator; one window over every row
 * (`OVER ()`, `OVER (ORDER BY ...)`) in the step makes it plan the child once.
 */
export function plansTwice(body: readonly Code[]): boolean {
  if (body.some((lexeme, i) => isWord(lexeme, 'GROUP') && isWord(body[i + 1], 'BY'))) return true;
  const windows = body.flatMap((lexeme, i) =>
    isWord(lexeme, 'OVER') && body[i + 1]?.text === '(' ? [i + 2] : [],
  );
  return windows.length > 0 && windows.every((at) => isWord(body[at], 'PARTITION'));
}

/**
 * The most steps (WITH queries, and the main query) on one path from the result down to a read of
 * a lake table that each plan what lies under them twice: DuckDB plans that read, the listing of
 * its files, 2 to that power times. -1 for a query that reads no lake table.
 */
export function doubledPlanning(sql: string): number {
  const code = [...sqlLexemes(sql)].filter((l): l is Code => l.kind !== 'blank' && l.kind !== 'comment');
  const { withs, main } = withQueries(code);
  const memo = new Map<string, number>();
  const depth = (body: readonly Code[]): number => {
    const below = references(body).map(({ name }) => {
      const inner = withs.get(name);
      if (inner === undefined) return LAKE_TABLES.includes(name) ? 0 : -1;
      const known = memo.get(name) ?? depth(inner);
      memo.set(name, known);
      return known;
    });
    const deepest = Math.max(-1, ...below);
    return deepest < 0 ? -1 : deepest + (plansTwice(body) ? 1 : 0);
  };
  return depth(code.slice(main));
}
