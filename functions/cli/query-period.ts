import { lakeTimestamp, utcDate } from '../core/lake/layout.ts';
import type { QueryRunOptions } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { QUERY_DEFAULTS } from '../core/queries/query-params.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../core/time-units.ts';
import type { CommandEngine } from './engine-target.ts';
import { parseInstant, parseTimeZone } from './options.ts';
import { coveredAfter, READS_TO_LAST_HOUR, readToLastHourNote, uncoveredAfterNote } from './query-notes.ts';
import { UsageError } from './usage-error.ts';

/**
 * The period `[from, to)`: by default the 7 days to 00:00 UTC today. `openEnd` (a query of
 * READS_TO_LAST_HOUR without --to): the end of the current hour for now, so a --from of today
 * is taken; {@link periodReach} moves it back to the lake's last hour once the lake is open.
 */
function period(
  values: { from?: string; to?: string },
  now: number,
  openEnd = false,
): { fromMs: number; toMs: number } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const defaultTo = openEnd ? Math.ceil(now / HOUR_MS) * HOUR_MS : today;
  const toMs = values.to !== undefined ? parseInstant('--to', values.to) : defaultTo;
  const fromMs =
    values.from !== undefined
      ? parseInstant('--from', values.from)
      : (values.to === undefined ? today : toMs) - 7 * DAY_MS;
  if (fromMs >= toMs) {
    const end = openEnd ? 'the end of the current hour' : 'today 00:00 UTC';
    const to =
      values.to === undefined ? ` (not given: ${end}, ${openEnd ? lakeTimestamp(toMs) : utcDate(toMs)})` : '';
    throw new UsageError(`--from must be before --to${to}`);
  }
  return { fromMs, toMs };
}

interface PeriodValues {
  from?: string;
  to?: string;
  'time-zone'?: string;
}

/** The period and zone every query takes, checked before any lake or engine is opened. */
export function periodOptions(values: PeriodValues, now: number, openEnd = false) {
  const { fromMs, toMs } = period(values, now, openEnd);
  const timeZone = parseTimeZone('--time-zone', values['time-zone'] ?? QUERY_DEFAULTS.timeZone);
  return { fromMs, toMs, timeZone };
}

/**
 * The period a catalog query runs over, and a note on the hours the lake covers after the default
 * one (today's, up to its last ingest: review F-QUERYCLI 2). Without --to, a query of
 * {@link READS_TO_LAST_HOUR} reads to the end of those hours; the others keep whole days and say
 * how to read them, on DuckDB (free) only. Asked of the manifests only when --to is not given.
 */
export async function periodReach(
  engine: CommandEngine,
  query: QueryDefinition,
  given: {
    instance: string | undefined;
    options: PeriodOptions;
    values: { to?: string; athena?: boolean };
    now: number;
  },
  run: QueryRunOptions,
): Promise<{ period: PeriodOptions; note?: string }> {
  const { instance, options, values, now } = given;
  if (values.to !== undefined || !query.params.includes('to_ts')) return { period: options };
  const reads = READS_TO_LAST_HOUR.includes(query.name);
  // On Athena each query is billed and queued (review R-QUERIES M4): asked only where it moves the period.
  const asked = instance !== undefined && (reads || values.athena !== true);
  if (!reads) {
    const after = asked
      ? await coveredAfter(engine, instance, { fromMs: options.toMs, nowMs: now }, run)
      : undefined;
    return { period: options, note: after && uncoveredAfterNote(after) };
  }
  // The lake's hours from today's start, or from the hour of a --from of today.
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const start = Math.max(today, floorHour(options.fromMs));
  const after = asked ? await coveredAfter(engine, instance, { fromMs: start, nowMs: now }, run) : undefined;
  if (after !== undefined) {
    return { period: { ...options, toMs: after.endMs }, note: readToLastHourNote(after, start) };
  }
  // None: whole days as before, or for a --from of today up to now (the coverage note says so).
  return { period: options.fromMs < today ? { ...options, toMs: today } : options };
}

export type PeriodOptions = ReturnType<typeof periodOptions>;
