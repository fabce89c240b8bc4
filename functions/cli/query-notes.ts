import type { Coverage } from '../core/lake/hours-held.ts';
import { lakeTimestamp, parseLakeTimestamp, utcDate } from '../core/lake/layout.ts';
import type { QueryResult, QueryRunOptions } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { plural } from '../core/report/number-format.ts';
import { HOUR_MS } from '../core/time-units.ts';
import type { CommandEngine } from './engine-target.ts';
import { failureMessage } from './failure-message.ts';

/**
 * The notes `query` prints beside a catalog query's rows, on stderr (JSON and CSV stay bare rows),
 * where the rows alone would mislead: hours of the period the lake does not cover count as nothing
 * happened, a change against a previous period the lake covers only in part is no change at all,
 * and a ranked list cut at its limit may cut rows as high as the last one shown.
 */

export type { Coverage } from '../core/lake/hours-held.ts';

const partial = (coverage: Coverage | undefined): coverage is Coverage =>
  coverage !== undefined && coverage.covered < coverage.expected;

/**
 * Whether a query's rows depend on the period's coverage: every query over a period, but not one
 * whose rows count the covered hours themselves (data_health, daily_activity).
 */
const dependsOnCoverage = (query: QueryDefinition): boolean =>
  query.params.includes('from_ts') &&
  query.params.includes('to_ts') &&
  !query.columns.includes('covered_hours');

/** Whether a query compares its period with the one before it (trending_cards). */
const comparesPrevious = (query: QueryDefinition): boolean => query.params.includes('prev_from_ts');

/** The columns of a comparison that are a change against the previous period. */
export const changeColumns = (query: QueryDefinition): string[] =>
  query.columns.filter((column) => column === 'change' || column.startsWith('change_'));

/** How many of a span's hours the lake covers: one data_health row over it. */
async function coverageOf(
  engine: CommandEngine,
  named: Readonly<Record<string, string>>,
  span: { from_dt: string; to_dt: string; from_ts: string; to_ts: string },
  run: QueryRunOptions,
): Promise<Coverage> {
  const [health] = (await engine.run('data_health', { ...named, ...span }, run)).rows;
  return { expected: Number(health?.expected_hours ?? 0), covered: Number(health?.covered_hours ?? 0) };
}

/**
 * How many hours of the span from `start` to the period's start the lake covers: the previous
 * period of a comparison, the history of a judgement. The period's first day is the last day read:
 * the span ends where the period starts, on that day at latest.
 */
const coverageBefore = (
  engine: CommandEngine,
  named: Readonly<Record<string, string>>,
  start: { dt: string; ts: string },
  run: QueryRunOptions,
): Promise<Coverage> =>
  coverageOf(
    engine,
    named,
    { from_dt: start.dt, to_dt: named.from_dt ?? '', from_ts: start.ts, to_ts: named.from_ts ?? '' },
    run,
  );

/** What the coverage of a query's period and of the one before it (when it compares) came to. */
interface PeriodCoverage {
  period: Coverage;
  previous?: Coverage;
  /** The previous period's bounds, as the query ran with them (UTC lake timestamps). */
  previousFrom?: string;
  previousTo?: string;
}

/** A coverage check that failed, and why: the query's rows are shown all the same. */
interface CoverageUnknown {
  failed: string;
}

const unknown = (coverage: PeriodCoverage | CoverageUnknown | undefined): coverage is CoverageUnknown =>
  coverage !== undefined && 'failed' in coverage;

/**
 * The coverage of the period of a query whose rows depend on it, and, for a comparison, of the
 * previous period `[prev_from_ts, from_ts)`; undefined for a query whose rows do not. A check that
 * fails is a note, not the command's failure: the rows are in hand, and a throttled or cancelled
 * data_health threw them away (review R-Q3 M2). An interrupt still stops everything.
 */
export async function periodCoverage(
  engine: CommandEngine,
  query: QueryDefinition,
  named: Readonly<Record<string, string>>,
  run: QueryRunOptions,
): Promise<PeriodCoverage | CoverageUnknown | undefined> {
  if (!dependsOnCoverage(query)) return undefined;
  const { from_dt = '', to_dt = '', from_ts = '', to_ts = '' } = named;
  try {
    const period = await coverageOf(engine, named, { from_dt, to_dt, from_ts, to_ts }, run);
    if (!comparesPrevious(query)) return { period };
    const { prev_from_dt = '', prev_from_ts = '' } = named;
    const previous = await coverageBefore(engine, named, { dt: prev_from_dt, ts: prev_from_ts }, run);
    return { period, previous, previousFrom: prev_from_ts, previousTo: from_ts };
  } catch (error) {
    if (run.signal?.aborted) throw error;
    return { failed: failureMessage(error) };
  }
}

/**
 * Whether a comparison's change compares like with like: both periods wholly in the lake, as the
 * report asks; not when that could not be read.
 */
export const changeComparable = (coverage: PeriodCoverage | CoverageUnknown | undefined): boolean =>
  coverage === undefined || (!unknown(coverage) && !(partial(coverage.period) || partial(coverage.previous)));

/** The notes when the coverage could not be read: why, and for a comparison, that its change may mislead. */
function unknownCoverageNotes(
  query: QueryDefinition,
  coverage: CoverageUnknown,
  format: 'table' | 'json' | 'csv',
): string[] {
  const notes = [
    `note: could not tell how many of the period's hours the lake covers: ${coverage.failed} (query data_health with the same options shows them)`,
  ];
  const changes = changeColumns(query);
  if (changes.length === 0) return notes;
  notes.push(
    format === 'table'
      ? `note: no change shown (${changes.join(', ')} left out): whether both periods are wholly in the lake is not known`
      : `note: ${changes.join(', ')} may not compare like with like: whether both periods are wholly in the lake is not known`,
  );
  return notes;
}

/**
 * The notes on a query's coverage: the period's hours the lake covers when not all; for a
 * comparison, the previous period's too, and that its change is not shown (table) or not
 * comparable (JSON, CSV: the rows keep it, bare), as the weekly report shows no change when
 * either week is partial; when the coverage could not be read, why, and the change left out too.
 */
export function coverageNotes(
  query: QueryDefinition,
  coverage: PeriodCoverage | CoverageUnknown | undefined,
  format: 'table' | 'json' | 'csv',
): string[] {
  if (coverage === undefined) return [];
  if (unknown(coverage)) return unknownCoverageNotes(query, coverage, format);
  const notes: string[] = [];
  const { period, previous } = coverage;
  if (partial(period)) {
    const what = query.name === 'period_totals' ? 'these totals count' : 'its rows count';
    notes.push(
      `note: the lake covers ${period.covered} of the period's ${period.expected} hours: ${what} only those (query data_health with the same options shows the gaps)`,
    );
  }
  if (partial(previous)) {
    const counts = query.columns.filter((column) => column.startsWith('previous_'));
    const what = counts.length === 0 ? 'the counts of it' : counts.join(', ');
    notes.push(
      `note: the lake covers ${previous.covered} of the previous period's ${previous.expected} hours (${coverage.previousFrom} to ${coverage.previousTo} UTC): ${what} count only those`,
    );
  }
  const changes = changeColumns(query);
  if (changeComparable(coverage) || changes.length === 0) return notes;
  const which =
    partial(period) && partial(previous)
      ? 'neither period is'
      : partial(period)
        ? 'the period is not'
        : 'the previous period is not';
  notes.push(
    format === 'table'
      ? `note: no change shown (${changes.join(', ')} left out): ${which} wholly in the lake, so the two do not compare like with like`
      : `note: ${changes.join(', ')} do not compare like with like: ${which} wholly in the lake`,
  );
  return notes;
}

/** What a ranked query is ranked by first, and what its rows are, for the note on ties cut. */
const RANKED_BY: Readonly<Record<string, { column: string; rows: string; tieBreak: string }>> = {
  most_active_users: { column: 'events', rows: 'users', tieBreak: 'user_id' },
  popular_pages: { column: 'views', rows: 'pages', tieBreak: 'page_id' },
  trending_cards: { column: 'views', rows: 'cards', tieBreak: 'card_id' },
};

/** The queries whose cut at the limit {@link cutTies} can tell ties of: they rank by one count. */
export const RANKED_QUERIES: readonly string[] = Object.keys(RANKED_BY);

/**
 * A ranked query's rows cut to `limit`, from rows fetched with one more: when that one ties with
 * the last kept, a note says so (the catalog breaks ties by id, which says nothing of who matters
 * more). One row more, not a count of the ties: it costs nothing more on either engine.
 */
export function cutTies(
  query: QueryDefinition,
  result: QueryResult,
  limit: number,
): { result: QueryResult; note?: string } {
  const ranked = RANKED_BY[query.name];
  if (ranked === undefined || result.rows.length <= limit) return { result };
  const kept = { ...result, rows: result.rows.slice(0, limit) };
  const last = result.rows[limit - 1]?.[ranked.column];
  const next = result.rows[limit]?.[ranked.column];
  if (last === undefined || last === null || last !== next) return { result: kept };
  return {
    result: kept,
    note: `note: more ${ranked.rows} than the ${limit} shown have ${last} ${ranked.column}, as many as the last shown: ties are cut by ${ranked.tieBreak} (a larger --limit shows them)`,
  };
}

/**
 * The hours the lake covers from `fromMs` (the default period's end, today 00:00 UTC) up to now:
 * how many, and where the last one ends. From the coverage manifests alone, as core/lake/hours-held.ts, so
 * it costs one small read. Its `?` stand in the WHERE clause only, where Athena documents them.
 */
const COVERED_AFTER_SQL = `SELECT count(DISTINCT window_start) AS covered_hours, max(window_start) AS last_hour
FROM coverage
WHERE instance = ?
  AND dt BETWEEN ? AND ?
  AND window_start >= CAST(? AS timestamp)
  AND window_start < CAST(? AS timestamp)`;

/** Hours the lake covers after a period's end, and the end of the last of them. */
export interface CoveredAfter {
  hours: number;
  endMs: number;
}

/**
 * The covered hours after `fromMs`, up to `nowMs`; undefined when there are none, or when the read
 * fails (a note less: the query's own rows do not depend on it). An interrupt still stops all.
 */
export async function coveredAfter(
  engine: CommandEngine,
  instance: string,
  span: { fromMs: number; nowMs: number },
  run: QueryRunOptions,
): Promise<CoveredAfter | undefined> {
  const { fromMs, nowMs } = span;
  if (nowMs <= fromMs) return undefined;
  const params = [instance, utcDate(fromMs), utcDate(nowMs), lakeTimestamp(fromMs), lakeTimestamp(nowMs)];
  try {
    const [row] = (await engine.runSql(COVERED_AFTER_SQL, params, "query of the lake's newest hours", run))
      .rows;
    const hours = Number(row?.covered_hours ?? 0);
    const endMs = parseLakeTimestamp(String(row?.last_hour ?? '')) + HOUR_MS;
    return hours > 0 && Number.isFinite(endMs) ? { hours, endMs } : undefined;
  } catch (error) {
    if (run.signal?.aborted) throw error;
    return undefined;
  }
}

/**
 * The queries whose default period ends where the lake's hours do, not at today 00:00 UTC: those
 * listing events as they came (user_activity, address_activity) or a user's addresses up to now
 * (user_addresses), for a responder in an incident, where whole days mean nothing. The others keep whole days: their daily rows, a previous period of the same
 * length, and a ranking compare days with days; they get {@link uncoveredAfterNote} instead.
 */
export const READS_TO_LAST_HOUR: readonly string[] = ['user_activity', 'address_activity', 'user_addresses'];

const isoHour = (ms: number): string => new Date(ms).toISOString().replace(/:00\.000Z$/, ':00Z');

/** For a query whose period was moved to the lake's last hour: that it was, and to where. */
export const readToLastHourNote = (after: CoveredAfter, sinceMs: number): string =>
  `note: without --to the period ends where the lake's hours do, ${lakeTimestamp(after.endMs)} UTC: its ${plural(after.hours, 'covered hour')} since ${lakeTimestamp(sinceMs).slice(11, 16)} UTC today are read`;

/** For a query that keeps whole days: the covered hours after its period, and how to read them. */
export const uncoveredAfterNote = (after: CoveredAfter): string =>
  `note: the lake covers ${plural(after.hours, 'hour')} after the period (to ${lakeTimestamp(after.endMs)} UTC) that were not read: give --to ${isoHour(after.endMs)} to read them`;
