import type { QueryResult } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { MAX_LISTED_ROWS } from '../core/queries/query-params.ts';
import { formatCount } from '../core/report/number-format.ts';

/**
 * The note `query` prints on stderr when a query's rows stop at a bound of its own, not at the
 * period's end: a credential-stuffing week is exactly when suspicious_logins, the failed logins
 * and latest_events are cut, and the rows alone read as all there were. A ranked query's cut is
 * the `--limit` asked for, and is not noted here (cutTies says when it falls between ties).
 */

/** A fixed `LIMIT n` that ends a query's SQL (latest_events'), or undefined. */
export function fixedLimit(query: QueryDefinition): number | undefined {
  const match = /\bLIMIT\s+(\d+)\s*;?\s*$/i.exec(query.sql);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Which end of the period a cut keeps, for a query that can keep either: a responder reading the
 * first rows of a busy week took them for the latest (review F-RESPOND2 5).
 */
function keptText(query: QueryDefinition, keep: string | undefined): string {
  if (!query.params.includes('keep_rows')) return '';
  if (keep === 'gravest') return ", keeping each actor's gravest first";
  return keep === 'newest'
    ? ', keeping the last in time'
    : ', keeping the first in time (--param keep_rows=newest keeps the last)';
}

/** Why the rows stop where they do, and, when a parameter bounds them, how to see them all. */
function boundText(query: QueryDefinition, shown: number, total: number, keep: string | undefined): string {
  if (!query.params.includes('max_rows')) return `${query.name} lists at most ${formatCount(shown)}`;
  const all = Math.min(total, MAX_LISTED_ROWS);
  return `max_rows stops it there${keptText(query, keep)} (--param max_rows=${all} shows ${all === total ? 'them all' : 'the most it can'})`;
}

/**
 * `showing N of M rows` when a query that counts all its rows (`total_rows`) returned fewer, with
 * why and how to see them all; `showing the first N rows` and that there may be more when a query
 * ending in a fixed LIMIT returned that many (how many more it cannot tell); undefined when none
 * were cut.
 */
export function cutRowsNote(
  query: QueryDefinition,
  result: Pick<QueryResult, 'rows'>,
  params: Readonly<Record<string, string>> = {},
): string | undefined {
  const shown = result.rows.length;
  if (query.columns.includes('total_rows')) {
    const total = Number(result.rows[0]?.total_rows ?? 0);
    if (shown === 0 || total <= shown) return undefined;
    return `note: showing ${formatCount(shown)} of ${formatCount(total)} rows: ${boundText(query, shown, total, params.keep_rows)}`;
  }
  const limit = fixedLimit(query);
  if (limit === undefined || shown < limit) return undefined;
  return `note: showing the first ${formatCount(shown)} rows, the most ${query.name} returns: there may be more`;
}
