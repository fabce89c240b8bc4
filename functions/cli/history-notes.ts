import { DAY_MS, parseLakeTimestamp } from '../core/lake/layout.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { shortHistorySentence } from '../core/report/health-sentences.ts';
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
  history: LoginHistory;
  coverage: Coverage;
  /** The history window's bounds, as the query ran with them (UTC lake timestamps). */
  from: string;
  to: string;
}

/** login_history and the history window's coverage, for a query that judges by a history; else undefined. */
export async function historyJudged(
  engine: CommandEngine,
  query: QueryDefinition,
  named: Readonly<Record<string, string>>,
  run: QueryRunOptions,
): Promise<HistoryJudged | undefined> {
  if (!judgesByHistory(query)) return undefined;
  const { history_from_dt = '', history_from_ts = '', from_ts = '' } = named;
  const [row] = (await engine.run('login_history', named, run)).rows;
  const coverage = await coverageBefore(engine, named, { dt: history_from_dt, ts: history_from_ts }, run);
  const days = (parseLakeTimestamp(from_ts) - parseLakeTimestamp(history_from_ts)) / DAY_MS;
  return {
    history: {
      users: Number(row?.users ?? 0),
      shortHistoryUsers: Number(row?.short_history_users ?? 0),
      shortPlacedHistoryUsers: Number(row?.short_placed_history_users ?? 0),
      minHistoryLogins: Number(named.min_history_logins),
      historyDays: days,
    },
    coverage,
    from: history_from_ts,
    to: from_ts,
  };
}

/**
 * The notes on a history: that the lake holds none of it (every check that needs one judged
 * nobody), and how many of the period's users had too little of it, as the report's section says.
 */
export function historyNotes(judged: HistoryJudged | undefined): string[] {
  if (judged === undefined) return [];
  const { history, coverage, from, to } = judged;
  const notes: string[] = [];
  if (coverage.expected > 0 && coverage.covered === 0) {
    notes.push(
      `note: the lake holds none of the history before the period (${from} to ${to} UTC): the new-country, new-network and unusual-hour checks judged nobody`,
    );
  }
  const sentence = shortHistorySentence(history);
  if (sentence !== undefined) notes.push(`note: ${sentence}`);
  return notes;
}
