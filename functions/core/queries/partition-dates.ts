import { lakeTimestamp, parseLakeTimestamp, utcDate } from '../lake/layout.ts';
import { HOUR_MS } from '../time-units.ts';
import { QUERY_DEFAULTS } from './query-params.ts';

type Edge = 'start' | 'end';

/**
 * Each bound of the catalog's queries comes twice: `X_ts`, the instant the rows are filtered by, and
 * `X_dt`, the `dt` partition it falls in, which only lets the engine skip days. `to` is the end,
 * exclusive; the others are starts.
 */
const BOUNDS: readonly (readonly [name: string, edge: Edge])[] = [
  ['from', 'start'],
  ['to', 'end'],
  ['prev_from', 'start'],
  ['history_from', 'start'],
  ['lookback_from', 'start'],
];

/** The day of the partition a bound's timestamp falls in (the last instant before an end's). */
function dayOf(ts: string, edge: Edge): string | undefined {
  const ms = parseLakeTimestamp(ts);
  if (Number.isNaN(ms)) return undefined;
  return utcDate(edge === 'end' ? ms - 1 : ms);
}

/**
 * The named values with every `X_dt` the caller did not set made the day of its `X_ts`, so a
 * timestamp set alone (`--param history_from_ts=…`) reads the days it asks for instead of being cut
 * back to the default's partitions, which returned fewer rows under the asked-for header. A `X_dt`
 * set by the caller may reach further (it only prunes less); one that would cut into the period of
 * its timestamp is refused, naming both. So is a start before the period that falls inside it
 * ({@link checkStartsBeforePeriod}).
 */
export function alignPartitionDates(
  named: Readonly<Record<string, string>>,
  set: ReadonlySet<string>,
): Record<string, string> {
  const aligned = { ...named, ...lookbackFollowingFrom(named, set) };
  for (const [bound, edge] of BOUNDS) {
    const ts = aligned[`${bound}_ts`];
    const dt = `${bound}_dt`;
    const day = ts === undefined ? undefined : dayOf(ts, edge);
    if (day === undefined || aligned[dt] === undefined) continue;
    if (set.has(dt)) checkSetDate(bound, edge, aligned[dt], ts as string, day);
    else aligned[dt] = day;
  }
  checkStartsBeforePeriod(aligned);
  return aligned;
}

/**
 * The hour before the period follows a `from_ts` set alone: unlike the previous period or the
 * history, it has one length only, and left at the default's hour it would start after a period
 * moved earlier, or read hours before one moved later.
 */
function lookbackFollowingFrom(
  named: Readonly<Record<string, string>>,
  set: ReadonlySet<string>,
): Record<string, string> {
  const from = named.from_ts;
  if (from === undefined || !set.has('from_ts') || set.has('lookback_from_ts')) return {};
  if (named.lookback_from_ts === undefined) return {};
  const fromMs = parseLakeTimestamp(from);
  return Number.isNaN(fromMs) ? {} : { lookback_from_ts: lakeTimestamp(fromMs - HOUR_MS) };
}

/**
 * The bounds of what a query reads before the period, each a window that ends at `from_ts`, with
 * what leaving it out gives.
 */
const EARLIER_STARTS: readonly (readonly [bound: string, window: string, fallback: string])[] = [
  ['prev_from', 'the previous period', 'one as long as the period'],
  ['history_from', 'the history', `the ${QUERY_DEFAULTS.historyDays} days before the period`],
  ['lookback_from', 'the failures before the first sign-ins', 'the hour before the period'],
];

/**
 * trending_cards and suspicious_logins scan from `prev_from_ts` / `history_from_ts` to `to_ts`: one
 * set after `from_ts` dropped the period's first rows (and its aligned date their days) with no sign.
 * Equal is an empty window ending where the period starts, which loses no row of the period.
 */
function checkStartsBeforePeriod(named: Readonly<Record<string, string>>): void {
  const from = named.from_ts;
  if (from === undefined) return;
  const fromMs = parseLakeTimestamp(from);
  for (const [bound, window, fallback] of EARLIER_STARTS) {
    const ts = named[`${bound}_ts`];
    if (ts === undefined || !(parseLakeTimestamp(ts) > fromMs)) continue;
    throw new RangeError(
      `${bound}_ts=${ts} leaves out rows from_ts=${from} asks for (the query reads from ${bound}_ts, and ${window} ends where the period starts): set ${bound}_ts on or before ${from}, or leave it out (${fallback})`,
    );
  }
}

function checkSetDate(bound: string, edge: Edge, given: string, ts: string, day: string): void {
  const dt = `${bound}_dt`;
  if (edge === 'start' ? given > day : given < day) {
    throw new RangeError(
      `${dt}=${given} leaves out rows ${bound}_ts=${ts} asks for (its day is ${day}): set ${bound}_ts alone (${dt} follows it), or a ${dt} ${edge === 'start' ? 'on or before' : 'on or after'} ${day}`,
    );
  }
}
