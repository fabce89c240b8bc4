import { DAY_MS, parseLakeTimestamp } from '../core/lake/layout.ts';
import type { QueryResult } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { shortHistorySentence } from '../core/report/health-sentences.ts';
import { plural } from '../core/report/number-format.ts';
import type { LoginHistory } from '../core/report/report-model.ts';
import type { QueryRunOptions } from '../core/report/report-query-engine.ts';
import type { CommandEngine } from './engine-target.ts';
import { type Coverage, coverageBefore } from './query-notes.ts';

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
export interface HistoryJudged {
  /** The bar and the window's length, as the query ran with them. */
  bar: { minHistoryLogins: number; historyDays: number };
  /** login_history's count; undefined when not asked ({@link historyWorthAsking}). */
  history?: LoginHistory;
  /**
   * The history window's coverage; undefined when not read: some user of the period had the
   * sign-ins the bar asks for in it, so the lake holds some of it.
   */
  coverage?: Coverage;
  /** The history window's bounds, as the query ran with them (UTC lake timestamps). */
  from: string;
  to: string;
}

/**
 * Whether to ask how many users had too little history: always on a local lake (DuckDB, free),
 * on Athena only beside rows. Each Athena query is billed (10 MB at least) and waits in the
 * workgroup's queue, and login_history reads what suspicious_logins read: a quiet week's count
 * doubled the reads (review R-QUERIES M4). Without rows a note says the caveat and the query that
 * counts, for nothing ({@link historyNotes}).
 */
export const historyWorthAsking = (result: QueryResult, billedPerQuery: boolean): boolean =>
  !billedPerQuery || result.rows.length > 0;

/**
 * login_history and, when nobody of the period had history enough (the lake may hold none of it),
 * the history window's coverage, for a query that judges by a history; else undefined. `ask`
 * false: neither, the bar alone ({@link historyWorthAsking}).
 */
export async function historyJudged(
  engine: CommandEngine,
  query: QueryDefinition,
  named: Readonly<Record<string, string>>,
  run: QueryRunOptions,
  ask = true,
): Promise<HistoryJudged | undefined> {
  if (!judgesByHistory(query)) return undefined;
  const { history_from_dt = '', history_from_ts = '', from_ts = '' } = named;
  const bar = {
    minHistoryLogins: Number(named.min_history_logins),
    historyDays: (parseLakeTimestamp(from_ts) - parseLakeTimestamp(history_from_ts)) / DAY_MS,
  };
  const bounds = { from: history_from_ts, to: from_ts };
  if (!ask) return { bar, ...bounds };
  const [row] = (await engine.run('login_history', named, run)).rows;
  const history: LoginHistory = {
    users: Number(row?.users ?? 0),
    shortHistoryUsers: Number(row?.short_history_users ?? 0),
    shortPlacedHistoryUsers: Number(row?.short_placed_history_users ?? 0),
    ...bar,
  };
  // A history the lake holds none of leaves every user short of it (the bar is at least 1).
  if (history.shortHistoryUsers < history.users) return { bar, history, ...bounds };
  const coverage = await coverageBefore(engine, named, { dt: history_from_dt, ts: history_from_ts }, run);
  return { bar, history, coverage, ...bounds };
}

/**
 * The notes on a history: that the lake holds none of it (every check that needs one judged
 * nobody), and how many of the period's users had too little of it, as the report's section says;
 * when not counted, that such users are judged by none of those checks and which query counts them.
 */
export function historyNotes(judged: HistoryJudged | undefined): string[] {
  if (judged === undefined) return [];
  const { bar, history, coverage, from, to } = judged;
  if (history === undefined) {
    return [
      `note: users with fewer than ${plural(bar.minHistoryLogins, 'login')} in the ${plural(bar.historyDays, 'day')} before are judged by none of the new-country, new-network and unusual-hour checks; with no row, Athena is not asked how many (a query more): query login_history with the same options counts them`,
    ];
  }
  const notes: string[] = [];
  if (coverage !== undefined && coverage.expected > 0 && coverage.covered === 0) {
    notes.push(
      `note: the lake holds none of the history before the period (${from} to ${to} UTC): the new-country, new-network and unusual-hour checks judged nobody`,
    );
  }
  const sentence = shortHistorySentence(history);
  if (sentence !== undefined) notes.push(`note: ${sentence}`);
  return notes;
}
