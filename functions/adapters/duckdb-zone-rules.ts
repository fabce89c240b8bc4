import type { QueryParams } from '../core/ports.ts';
import { DAY_MS, HOUR_MS, SECOND_MS } from '../core/time-units.ts';
import { isTimeZone, zoneOffsetMs } from '../core/zoned-time.ts';

/**
 * Node's time-zone rules for DuckDB. DuckDB reads zones from its own copy of the tz database, which
 * can differ from the one in Node's ICU (on DuckDB 1.5.6 against ICU 78.2 / tzdata 2025c: Vancouver,
 * Edmonton and Inuvik from 2026-11, Casablanca and El Aaiun from 2026-09). The report takes its
 * week's bounds and dates, and the alerts their local times, from Node; a catalog query's local day
 * or hour from DuckDB's `at_timezone` would then be an hour off. So before a catalog query that
 * takes a `time_zone`, the engine replaces that macro, on the query's own connection, by one that
 * holds Node's offsets of that zone over the query's period; other zones and instants (ad hoc SQL,
 * a zone Node does not know) keep DuckDB's own rules.
 */

/** One stretch of constant offset: from `startMs` (inclusive) to the next segment's start. */
interface OffsetSegment {
  startMs: number;
  offsetMs: number;
}

/**
 * The step of the search for transitions. No zone of the tz database has changed its offset twice
 * within 95 hours since 1900 (the least gap, Freetown's in 1939, is 95.7 h): a step of 2 days finds
 * every change, with an eighth of the `Intl` calls of a 6-hour step (a span of years is built in
 * tens of milliseconds, not seconds).
 */
const STEP_MS = 48 * HOUR_MS;
/**
 * Node's rules are given from 1970 on: a `history_from_ts` far back (any 4-digit year passes the
 * parameter check) would otherwise cost seconds of searching before the query, for instants no
 * Activity Log holds; earlier ones keep DuckDB's own rules.
 */
const EARLIEST_MS = 0;
/** Margin around the query's period, so an instant just past its bounds still reads Node's rules. */
const MARGIN_MS = 2 * DAY_MS;

/** The first whole second after `lo` whose offset differs from `lo`'s (one exists by `hi`). */
function transitionIn(zone: string, lo: number, hi: number): number {
  const before = zoneOffsetMs(lo, zone);
  let [a, b] = [lo, hi];
  while (b - a > SECOND_MS) {
    const mid = a + Math.floor((b - a) / 2 / SECOND_MS) * SECOND_MS;
    if (zoneOffsetMs(mid, zone) === before) a = mid;
    else b = mid;
  }
  return b;
}

/**
 * `zone`'s offsets over [fromMs, toMs) by Node's `Intl`: the first segment starts at `fromMs`,
 * each next one at a transition (to the second).
 */
export function offsetSegments(zone: string, fromMs: number, toMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [{ startMs: fromMs, offsetMs: zoneOffsetMs(fromMs, zone) }];
  for (let lo = fromMs; lo < toMs; lo += STEP_MS) {
    const hi = Math.min(lo + STEP_MS, toMs);
    const last = segments[segments.length - 1] as OffsetSegment;
    const offset = zoneOffsetMs(hi, zone);
    if (offset === last.offsetMs) continue;
    segments.push({ startMs: transitionIn(zone, lo, hi), offsetMs: offset });
  }
  return segments;
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const micros = (ms: number): string => String(ms * 1000);

/**
 * The `at_timezone(tstz, zone)` macro with Node's offsets of `zone` over [fromMs, toMs), DuckDB's
 * `timezone()` elsewhere. The local time is made from the instant's microseconds plus the offset
 * (plain integer work, no zone lookup per row), a wall time as `timezone(zone, tstz)` gives it.
 */
function atTimezoneMacroSql(zone: string, fromMs: number, toMs: number): string {
  const segments = offsetSegments(zone, fromMs, toMs);
  const us = 'epoch_us(tstz)';
  const [first, ...rest] = segments as [OffsetSegment, ...OffsetSegment[]];
  // The offset in force is that of the last segment started: walk the starts from the latest.
  let offset = micros(first.offsetMs);
  if (rest.length > 0) {
    const whens = rest
      .reverse()
      .map((s) => `WHEN ${us} >= ${micros(s.startMs)} THEN ${micros(s.offsetMs)}`)
      .join(' ');
    offset = `CASE ${whens} ELSE ${offset} END`;
  }
  return [
    'CREATE OR REPLACE TEMP MACRO at_timezone(tstz, zone) AS CASE',
    `WHEN zone = ${sqlString(zone)} AND ${us} >= ${micros(fromMs)} AND ${us} < ${micros(toMs)}`,
    `THEN make_timestamp(${us} + ${offset})`,
    'ELSE timezone(zone, tstz) END',
  ].join(' ');
}

/** A catalog `_ts` value (`2026-11-02 08:00:00.000`, UTC) as epoch milliseconds. */
const tsMs = (value: string): number => Date.parse(`${value.replace(' ', 'T')}Z`);

/**
 * The macro for a catalog query's parameters: Node's rules for its `time_zone` over the span of
 * its `_ts` parameters, with a margin; undefined when it takes no zone, no period, or a zone Node
 * does not know (DuckDB then answers, or refuses the zone, itself).
 */
export function zoneRulesFor(paramNames: readonly string[], values: QueryParams): string | undefined {
  const zone = paramNames.includes('time_zone') ? values.time_zone : undefined;
  if (zone === undefined || !isTimeZone(zone)) return undefined;
  const times = paramNames
    .filter((name) => name.endsWith('_ts'))
    .map((name) => tsMs(values[name] ?? ''))
    .filter((ms) => Number.isFinite(ms));
  if (times.length === 0) return undefined;
  // On whole seconds: transitions are searched to the second from the span's start, so a start
  // with a fraction (a `--param from_ts=…00.500`) would shift each one by that fraction.
  const fromMs = Math.max(EARLIEST_MS, Math.floor((Math.min(...times) - MARGIN_MS) / SECOND_MS) * SECOND_MS);
  const toMs = Math.max(...times) + MARGIN_MS;
  if (fromMs >= toMs) return undefined;
  return atTimezoneMacroSql(zone, fromMs, toMs);
}
