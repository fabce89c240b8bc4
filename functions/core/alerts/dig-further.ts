/**
 * The query an alert message offers to dig further: the alerted users' events around the alerts,
 * and where the reader runs it, which only the caller knows (the deployed function's reader has
 * Athena; a local run's has the CLI over the lake on disk).
 */
import { DAY_MS, utcDate } from '../lake/layout.ts';
import type { Alert } from './alert.ts';
import { type AthenaCatalog, athenaTable } from './athena-catalog.ts';

export interface DigFurther {
  /** The sentence before it: where to run it. */
  intro: string;
  /** How the query names a lake table; as it is when absent (DuckDB's views, a chosen database). */
  table?(name: string): string;
  /** What the reader copies: the query itself, or a command that runs it. */
  copy(query: string): string;
}

/**
 * Athena where the stack's database and workgroup are not known (the CLI over a lake in S3): the
 * reader must choose them in the console, as the sentence says.
 */
export const IN_ATHENA: DigFurther = {
  intro:
    "To dig further, run in Athena (query editor, this stack's workgroup, with its Glue database chosen):",
  copy: (query) => query,
};

/** The deployed function's: the tables named in the stack's database, the workgroup in the sentence. */
export const inAthena = (catalog: AthenaCatalog): DigFurther => ({
  intro: `To dig further, run in Athena (query editor, workgroup ${catalog.workGroup}):`,
  table: (name) => athenaTable(catalog, name),
  copy: (query) => query,
});

/** Characters a reader cannot see or that move text around: line breaks, controls, bidi overrides. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * A SQL string literal that equals `text` exactly, so it matches the stored value, while the mail
 * shows no hidden character: each one is spelled `chr(n)` and joined with `||` (Athena and DuckDB
 * both have `chr`). A name cleaned for display would not match what the lake holds.
 */
function sqlLiteral(text: string): string {
  const parts: string[] = [];
  let visible = '';
  for (const char of text) {
    if (!HIDDEN.test(char)) {
      visible += char === "'" ? "''" : char;
      continue;
    }
    if (visible) parts.push(`'${visible}'`);
    visible = '';
    parts.push(`chr(${char.codePointAt(0)})`);
  }
  if (visible || parts.length === 0) parts.push(`'${visible}'`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' || ')})`;
}

/**
 * The alerts the query digs into: those of the newest one's UTC day and the day before, so it reads
 * four days of the lake at most (with the day before them, where what led to an alert may be, and
 * the day after, where what followed may be: {@link digQuery}). Spanning every alert given, a
 * message after a 90-day catch-up (none listed, all counted) dug into ~90 days, ~17.6 GB on a
 * 1M-events-a-day instance: Athena's workgroup cancels a query past its 10 GB cutoff, so the
 * reader's query failed. Alerts listed under the default `mailOlderThanHours` (24) all fall in
 * those two days.
 */
export function alertsToDig(alerts: readonly Alert[]): Alert[] {
  const newestDay = Math.floor(Math.max(...alerts.map((a) => a.event_time_ms)) / DAY_MS);
  return alerts.filter((a) => Math.floor(a.event_time_ms / DAY_MS) >= newestDay - 1);
}

/**
 * A query over the alerted users' events around the alerts (Athena and DuckDB read it alike, the
 * table named by `table`): those {@link alertsToDig} keeps of `alerts`, from the UTC day before the
 * earliest to the day after the newest. The day after: an alert at 23:41 UTC is mailed after
 * midnight, and what the attacker did next is on the next day's partition (mostly empty when the
 * query is read at once, one more day when it is run later; either way within the workgroup's
 * cutoff).
 */
export function digQuery(
  instance: string,
  given: readonly Alert[],
  table: (name: string) => string = (name) => name,
): string {
  const alerts = alertsToDig(given);
  const times = alerts.map((a) => a.event_time_ms);
  const from = utcDate(Math.min(...times) - DAY_MS);
  const to = utcDate(Math.max(...times) + DAY_MS);
  const ids = [...new Set(alerts.flatMap((a) => (a.user_id === null ? [] : [a.user_id])))];
  const names = [...new Set(alerts.flatMap((a) => (a.user_id === null && a.user_name ? [a.user_name] : [])))];
  // Failures with neither id nor name are one user to the detectors; the lake holds NULL there
  // (or an empty name), which `user_name IN ('')` never matched.
  const nameless = alerts.some((a) => a.user_id === null && !a.user_name);
  const who = [
    ...(ids.length ? [`user_id IN (${ids.map(sqlLiteral).join(', ')})`] : []),
    ...(names.length ? [`user_name IN (${names.map(sqlLiteral).join(', ')})`] : []),
    ...(nameless ? ["(user_id IS NULL AND (user_name IS NULL OR user_name = ''))"] : []),
  ];
  return [
    // The object columns: what the user touched (a page, a card, a dataset) is what the reader asks next.
    'SELECT event_time, user_id, user_name, category, action_type,',
    '  object_type, object_name, object_id, ip_address, event_text',
    `FROM ${table('activity_log')}`,
    `WHERE instance = '${instance}'`,
    `  AND dt BETWEEN '${from}' AND '${to}'`,
    `  AND (${who.join(' OR ') || 'true'})`,
    // event_id breaks ties of time (a burst of events in one millisecond): Athena reads files in
    // parallel, and the same query must list them in the same order, on DuckDB too.
    'ORDER BY event_time, event_id',
  ].join('\n');
}
