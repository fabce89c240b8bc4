import type { HoursHeldEngine } from '../lake/hours-held.ts';
import type { QueryEngine, QueryParams, QueryResult, QueryRunOptions } from '../ports.ts';

/**
 * Rows the report reads from one query at most: its engines fail a query that returns more, naming
 * it, rather than hold them all, lest a week of hundreds of thousands of rows run the report
 * function (512 MB) out of memory with no word of why. Every catalog query bounds its own rows far
 * below it (a top list, the first 1,000 suspicious or failed logins or addresses): the ceiling is
 * a backstop for a query that slips, set where a week that did fit before the catalog's bounds
 * still fits (at 50,000 a week of 52,000 suspicious logins, reported before with a JS heap under
 * 100 MB, failed: review R-REPORT2 H1); at about 1.8 KB of heap a row, this many take ~270 MB.
 */
export const REPORT_QUERY_ROWS = 150_000;

/**
 * The query engine the weekly report runs on. An engine that takes no options (DuckDB, the test
 * fakes) still is one: it runs each query to its end, and the report only stops starting queries.
 */
export interface ReportQueryEngine extends QueryEngine, Partial<HoursHeldEngine> {
  run(name: string, params: QueryParams, options?: QueryRunOptions): Promise<QueryResult>;
}

/**
 * The id of a query an engine gave up and could not stop, when its error says so
 * (`leftRunningQueryId`: Athena's stop call failed): the query keeps scanning, and billing, until
 * someone stops it, so whoever reads of the failure needs the id. Undefined for any other error.
 */
export function leftRunningQueryId(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('leftRunningQueryId' in error)) return undefined;
  const { leftRunningQueryId: id } = error;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The local directory of the lake whose files an engine's error names (`lakeDir`: the DuckDB
 * engine's), when the error says so; undefined for any other error. A mail names such a file by
 * its key in the lake (`quarantine/instance=…`): the path is of the sender's disk, names a local
 * user's folders, and, being longer, left the object's name past the cut of a reason.
 */
export function errorLakeDir(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('lakeDir' in error)) return undefined;
  const { lakeDir } = error;
  return typeof lakeDir === 'string' && lakeDir !== '' ? lakeDir : undefined;
}
