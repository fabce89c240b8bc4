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

/** Where the lake's aged-out hours end, and the `retention.maxDays` that says so. */
export interface AgedOut {
  beforeMs: number;
  maxDays: number;
}

/** The most days synth takes for `retention.maxDays`. */
const MAX_DAYS_LIMIT = 36_500;

/**
 * The hours the instance's last scheduled run says the lake has aged out, at `nowMs`: undefined
 * when it recorded no `retention.maxDays` (none set, a record before it was kept), or one synth
 * would refuse, which an edited record may hold: a day would hide every older hour from the check.
 */
export function agedOutOf(
  lastRun: LastRun | undefined,
  instance: string,
  nowMs: number,
): AgedOut | undefined {
  const maxDays = lastRun?.max_days;
  if (typeof maxDays !== 'number' || lastRun?.instance !== instance) return undefined;
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > MAX_DAYS_LIMIT) return undefined;
  return { beforeMs: agedOutBefore(nowMs, maxDays), maxDays };
}

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

/** The integrity check's option for `agedOut` (none without it). */
export const agedOutOption = (agedOut: AgedOut | undefined): { agedOutBeforeMs?: number } =>
  agedOut === undefined ? {} : { agedOutBeforeMs: agedOut.beforeMs };

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
