import { DAY_MS, HOUR_MS } from '../time-units.ts';
import type { LastRun } from './last-run.ts';
import type { VerifyBounds } from './whole-lake-range.ts';

/**
 * The first hour the lake still keeps whole under `retention.maxDays`, at `nowMs`: S3 expires an
 * object `maxDays` after it was written, and an hour is written only once it has ended, so every
 * hour starting at or after this one is still there; an hour before it may have aged out by
 * policy (its objects gone, or going), which is no gap, no deletion and nothing to re-pull.
 */
export const agedOutBefore = (nowMs: number, maxDays: number): number =>
  Math.ceil((nowMs - maxDays * DAY_MS) / HOUR_MS) * HOUR_MS;

/**
 * Where the lake's aged-out hours end, the `retention.maxDays` that says so, and who said it: the
 * chain's signed digests (signed-retention.ts), or the operator running the check.
 */
export interface AgedOut {
  beforeMs: number;
  maxDays: number;
  source: 'digests' | 'operator';
}

/** The most days synth takes for `retention.maxDays`. */
export const MAX_DAYS_LIMIT = 36_500;

/**
 * The `retention.maxDays` the instance's last scheduled run recorded: undefined when it recorded
 * none (none set, a record before it was kept), or one synth would refuse. The record is unsigned
 * and any lake writer edits it, so a check takes it as a hint only (review R-SECOND6 H1): what
 * the ingest refuses to pull again, never what verify excuses.
 */
export function lastRunMaxDays(lastRun: LastRun | undefined, instance: string): number | undefined {
  const maxDays = lastRun?.max_days;
  if (typeof maxDays !== 'number' || lastRun?.instance !== instance) return undefined;
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_DAYS_LIMIT) return undefined;
  return maxDays;
}

/** The hours `maxDays` (said by `source`) ages out at `nowMs`; undefined without one. */
export const agedOutBy = (
  maxDays: number | undefined,
  source: AgedOut['source'],
  nowMs: number,
): AgedOut | undefined =>
  maxDays === undefined ? undefined : { beforeMs: agedOutBefore(nowMs, maxDays), maxDays, source };

/**
 * `bounds` without the hours the lake has aged out: they are not checked, so that their manifests
 * and objects, gone by policy, are not gaps, nor what is left of an hour S3 expired object by
 * object (its manifest gone first) a hold before the lake. The lake's recorded start is then
 * before what is checked, and left out; the whole lake's other checks (stray files, objects after
 * its end) stand.
 */
export function withoutAgedOut(
  bounds: VerifyBounds | undefined,
  agedOut: AgedOut | undefined,
): VerifyBounds | undefined {
  if (bounds === undefined || agedOut === undefined || bounds.fromMs >= agedOut.beforeMs) return bounds;
  const fromMs = Math.min(agedOut.beforeMs, bounds.toMs);
  const listed = bounds.listFromMs === undefined ? {} : { listFromMs: Math.max(bounds.listFromMs, fromMs) };
  const whole = bounds.wholeLake ? { wholeLake: true as const } : {};
  return { fromMs, toMs: bounds.toMs, ...listed, ...whole, agedOutBeforeMs: agedOut.beforeMs };
}

/**
 * The report's `agedOut`, when it left something out of the check: hours of the range asked for
 * (which began at `fromMs`, before the bound), or objects of the chain (`chainAgedOut` of them).
 */
export function agedOutField(
  agedOut: AgedOut | undefined,
  fromMs: number | undefined,
  chainAgedOut: number | undefined,
): { agedOut?: AgedOut } {
  if (agedOut === undefined) return {};
  const hoursLeftOut = fromMs !== undefined && fromMs < agedOut.beforeMs;
  return hoursLeftOut || (chainAgedOut ?? 0) > 0 ? { agedOut } : {};
}
