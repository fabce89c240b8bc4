import { type Coverage, historySpan, hoursHeld, noneHeld } from '../core/lake/hours-held.ts';
import { parseLakeTimestamp } from '../core/lake/layout.ts';
import type { QueryResult, QueryRunOptions } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { shortHistorySentence } from '../core/report/health-sentences.ts';
import { plural } from '../core/report/number-format.ts';
import type { LoginHistory } from '../core/report/report-model.ts';
import { DAY_MS } from '../core/time-units.ts';
import type { CommandEngine } from './engine-target.ts';
import { failureMessage } from './failure-message.ts';

/**
 * The notes `query` prints beside a query that judges the period's sign-ins against the history
 * before it (suspicious_logins), on stderr as the other notes: a user with too little history is
 * judged by no check that needs it, so `0 rows` reads as a quiet period where the report says
 * "27 of 40 users not judged". Counted by login_history, the report's own query, and said in the
 * report's words.
 */

/**
 * Whether a query judges sign-ins by a history and a bar of history sign-ins, and is not
 * login_history itself (whose row is that very count).
 */
export const judgesByHistory = (query: QueryDefinition): boolean =>
  query.params.includes('history_from_ts') &&
  query.params.includes('min_history_logins') &&
  !query.columns.includes('short_history_users');

/** What the history of a query's period held: its users short of history, and its hours covered. */
interface HistoryJudged {
  /** The bar and the window's length, as the query ran with them. */
  bar: { minHistoryLogins: number; historyDays: number };
  /** login_history's count; undefined when not asked ({@link historyWorthAsking}) or failed. */
  history?: LoginHistory;
  /**
   * The history window's coverage; undefined when not read: some user of the period had the
   * sign-ins the bar asks for in it, so the lake holds some of it.
   */
  coverage?: Coverage;
  /** Why a side query failed (login_history, the coverage): the rows are shown all the same. */
  failed?: { what: 'count' | 'coverage'; reason: string };
  /** The history window's bounds, as the query ran with them (UTC lake timestamps). */
  from: string;
  to: string;
  /** The period's length in days: one longer than a week is judged by a history ending days before. */
  periodDays: number;
}

/**
 * Whether to ask how many users had too little history: always on a local lake (DuckDB, free),
 * on Athena only beside rows. Each Athena query is billed (10 MB at least) and waits in the
 * workgroup's queue, and login_history reads what suspicious_logins read: a quiet week's count
 * doubled the reads (review R-QUERIES M4). Without rows a note says the caveat and the query that
 * counts, for nothing; whether the lake holds any of the history is still asked, of the coverage
 * manifests alone ({@link historyNotes}).
 */
export const historyWorthAsking = (result: QueryResult, billedPerQuery: boolean): boolean =>
  !billedPerQuery || result.rows.length > 0;

/**
 * A side query's answer, or why it failed: the query's rows are in hand, and a failed note on them
 * (a throttled or cancelled login_history) lost them (review R-Q3 M2). An interrupt stops all.
 */
async function sideQuery<T>(ask: () => Promise<T>, run: QueryRunOptions): Promise<T | { reason: string }> {
  try {
    return await ask();
  } catch (error) {
    if (run.signal?.aborted) throw error;
    return { reason: failureMessage(error) };
  }
}

const failedWith = (answer: object): answer is { reason: string } => 'reason' in answer;

/**
 * login_history and, when nobody of the period had history enough (the lake may hold none of it),
 * the history window's coverage, for a query that judges by a history; else undefined. `ask`
 * false: the coverage alone, read from the manifests ({@link historyWorthAsking}). A side query
 * that fails is said in a note, and the rows stay.
 */
export async function historyJudged(
  engine: CommandEngine,
  query: QueryDefinition,
  named: Readonly<Record<string, string>>,
  run: QueryRunOptions,
  ask = true,
): Promise<HistoryJudged | undefined> {
  if (!judgesByHistory(query)) return undefined;
  const { history_from_ts = '', from_ts = '' } = named;
  const bar = {
    minHistoryLogins: Number(named.min_history_logins),
    historyDays: (parseLakeTimestamp(from_ts) - parseLakeTimestamp(history_from_ts)) / DAY_MS,
  };
  const periodDays = (parseLakeTimestamp(named.to_ts ?? '') - parseLakeTimestamp(from_ts)) / DAY_MS;
  const bounds = { from: history_from_ts, to: from_ts, periodDays };
  const held = async (history?: LoginHistory): Promise<HistoryJudged> => {
    const coverage = await sideQuery(() => hoursHeld(engine, historySpan(named), run), run);
    if (failedWith(coverage)) return { bar, history, failed: { what: 'coverage', ...coverage }, ...bounds };
    return { bar, history, coverage, ...bounds };
  };
  if (!ask) return held();
  const answer = await sideQuery(() => engine.run('login_history', named, run), run);
  if (failedWith(answer)) return { bar, failed: { what: 'count', ...answer }, ...bounds };
  const [row] = answer.rows;
  const history: LoginHistory = {
    users: Number(row?.users ?? 0),
    shortHistoryUsers: Number(row?.short_history_users ?? 0),
    shortPlacedHistoryUsers: Number(row?.short_placed_history_users ?? 0),
    ...bar,
  };
  // A history the lake holds none of leaves every user short of it (the bar is at least 1).
  if (history.shortHistoryUsers < history.users) return { bar, history, ...bounds };
  return held(history);
}

const WEEK_DAYS = 7;

/**
 * Why a wider period can find fewer unusual sign-ins (review F-QUERYCLI 3): its history is the
 * window before its start, the same for all its sign-ins, so a later sign-in is not judged by the
 * days just before it, and a start further back may reach a history the lake holds less of. The
 * alerts judge each sign-in by its own rolling window.
 */
const wideNote = ({ bar, from, to, periodDays }: HistoryJudged): string =>
  `note: all ${plural(Math.round(periodDays * 100) / 100, 'day')} of the period are judged against one history, ${from} to ${to} UTC, not each sign-in against its own ${plural(bar.historyDays, 'day')} before it: a wider period can find fewer unusual sign-ins; alerts --since/--until judges each sign-in against the days just before it`;

/**
 * The notes on a history: that the lake holds none of it (every check that needs one judged
 * nobody), and how many of the period's users had too little of it, as the report's section says;
 * when not counted, that such users are judged by none of those checks and which query counts them
 * (unless the lake holds none of the history, which says more); a side query that failed, and why.
 */
export function historyNotes(judged: HistoryJudged | undefined): string[] {
  if (judged === undefined) return [];
  const { bar, history, coverage, failed, from, to } = judged;
  const notes: string[] = [];
  if (failed?.what === 'count') notes.push(`note: could not count users short of history: ${failed.reason}`);
  if (failed?.what === 'coverage') {
    notes.push(`note: could not tell whether the lake holds the history before the period: ${failed.reason}`);
  }
  if (noneHeld(coverage)) {
    notes.push(
      `note: the lake holds none of the history before the period (${from} to ${to} UTC): the new-country, new-network and unusual-hour checks judged nobody. That history ends at --from for every sign-in of the period, not at each sign-in: alerts --since/--until judges each against the days just before it`,
    );
  } else if (judged.periodDays > WEEK_DAYS) {
    notes.push(wideNote(judged));
  }
  if (history !== undefined) {
    const sentence = shortHistorySentence(history);
    if (sentence !== undefined) notes.push(`note: ${sentence}`);
    return notes;
  }
  if (noneHeld(coverage)) return notes;
  const why = failed?.what === 'count' ? '' : '; with no row, Athena is not asked how many (a query more)';
  notes.push(
    `note: users with fewer than ${plural(bar.minHistoryLogins, 'login')} in the ${plural(bar.historyDays, 'day')} before are judged by none of the new-country, new-network and unusual-hour checks${why}: query login_history with the same options counts them`,
  );
  return notes;
}

/**
 * Queries that list a user only against their own events in the history before the period, and
 * no user the history holds none of: over a history the lake holds none of (a period starting in
 * the lake's first days, or before it), they answer 0 rows, which read as "nobody moved much"
 * (review HUNTER 1).
 */
const OWN_HISTORY_QUERIES = ['bulk_data_movement'];

/**
 * The note on a query of {@link OWN_HISTORY_QUERIES} that found no row: that the lake holds none
 * of its history, so it judged nobody; asked of the coverage manifests alone, and only when no row
 * came (a row proves some history). Undefined when there is nothing to say.
 */
export async function ownHistoryNote(
  engine: CommandEngine,
  query: QueryDefinition,
  named: Readonly<Record<string, string>>,
  result: QueryResult,
  run: QueryRunOptions,
): Promise<string | undefined> {
  if (!OWN_HISTORY_QUERIES.includes(query.name) || result.rows.length > 0) return undefined;
  const span = historySpan(named);
  const coverage = await sideQuery(() => hoursHeld(engine, span, run), run);
  if (failedWith(coverage)) {
    return `note: could not tell whether the lake holds the history before the period: ${coverage.reason}`;
  }
  if (!noneHeld(coverage)) return undefined;
  return `note: the lake holds none of the history before the period (${span.from_ts} to ${span.to_ts} UTC): ${query.name} judges each user against their own history, so it judged nobody; give a --from the lake holds days before, or query data_movement for the period's moves`;
}
