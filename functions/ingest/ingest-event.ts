import * as z from 'zod';
import { parseUtcInstant, UTC_INSTANT_RULE } from '../core/domo/utc-instant.ts';
import { InvalidRangeError } from '../core/ingest/range-error.ts';
import { validateRange } from '../core/ingest/window-plan.ts';
import { agedOutBefore } from '../core/lake/aged-out.ts';

/**
 * What an invocation asks for: the scheduled run (checkpoint mode) or a re-pull of whole UTC hours;
 * either, with `restartDigestChain`, allowed to begin a new digest chain over hours a recording
 * version wrote (chain-restart-guard.ts).
 */
export type IngestRequest = ({ mode: 'checkpoint' } | { mode: 'range'; fromMs: number; toMs: number }) & {
  restartDigestChain?: true;
};

const EXPECTED = 'an ISO 8601 time with a zone such as "2026-10-01T00:00:00Z" (or a date, midnight UTC)';

/**
 * One bound, read as the command line reads `--from`/`--to` (parseUtcInstant): `Date.parse` took
 * "2026-11-31T00:00:00Z" as 1 December, and "Oct 1 2026 05:00" in the function's zone.
 */
const instant = (field: 'from' | 'to') =>
  z.string({ error: `rePull.${field} must be ${EXPECTED}` }).transform((value, context) => {
    const ms = parseUtcInstant(value);
    if (ms !== undefined) return ms;
    context.addIssue({
      code: 'custom',
      message: `rePull.${field} ${JSON.stringify(value)} is not a valid UTC time: it must be ${EXPECTED}, ${UTC_INSTANT_RULE}`,
    });
    return z.NEVER;
  });

const rePullSchema = z.lazy(() => z.strictObject({ from: instant('from'), to: instant('to') }));

/**
 * Reads the invocation event. The schedule sends `{"source":"schedule",...}` (anything without
 * `rePull` is a scheduled run); an operator re-pulls hours with
 * `{"rePull":{"from":"2026-10-01T00:00:00Z","to":"2026-10-02T00:00:00Z"}}` (to exclusive); either
 * with `"restartDigestChain":true` begins the digest chain anew (docs/operations.md).
 *
 * @throws Error naming the bad field, for a `rePull` that is not two ISO times, or a
 * `restartDigestChain` that is not `true`.
 */
export function readIngestEvent(event: unknown): IngestRequest {
  const request = hoursOf(event);
  return restartAsked(event) ? { ...request, restartDigestChain: true } : request;
}

/**
 * Whether the event asks to begin the digest chain anew: `"restartDigestChain": true`, sent by hand
 * for one run. An event field, not a setting of the function: a setting stays set after the
 * restart, and would let the next deletion of the chain pass the ingest unasked.
 *
 * @throws Error for any other value: a mistyped restart must not run as an ordinary run.
 */
function restartAsked(event: unknown): boolean {
  if (event === null || typeof event !== 'object' || !('restartDigestChain' in event)) return false;
  const value = (event as { restartDigestChain: unknown }).restartDigestChain;
  if (value === true) return true;
  throw new Error(
    `invalid request: restartDigestChain must be true (a ${typeof value} was given); leave it out for an ordinary run`,
  );
}

/** The hours the event asks for: the checkpoint's, or a re-pull's (see {@link readIngestEvent}). */
function hoursOf(event: unknown): IngestRequest {
  if (event === null || typeof event !== 'object' || !('rePull' in event)) return { mode: 'checkpoint' };
  const result = rePullSchema.safeParse((event as { rePull: unknown }).rePull);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `rePull has unknown key(s) ${issue.keys.join(', ')}`
        : issue.message,
    );
    throw new Error(
      `invalid re-pull request: ${problems.join('; ')}. Expected {"rePull":{"from":"<ISO time>","to":"<ISO time>"}} on whole UTC hours, "to" exclusive.`,
    );
  }
  return { mode: 'range', fromMs: result.data.from, toMs: result.data.to };
}

/**
 * Checks a re-pull's hours before anything runs (whole, in order, closed, none before the first
 * day the Athena tables project, none the lake has aged out), worded with the event's field names.
 */
export function assertRePullHours(
  request: IngestRequest,
  nowMs: number,
  settleMinutes: number,
  lakeStartDate: string,
  maxDays: number | null = null,
): void {
  if (request.mode !== 'range') return;
  try {
    validateRange(request.fromMs, request.toMs, nowMs, settleMinutes);
  } catch (error) {
    if (!(error instanceof InvalidRangeError)) throw error;
    throw new Error(`invalid re-pull request: ${error.describe({ from: 'rePull.from', to: 'rePull.to' })}`, {
      cause: error,
    });
  }
  if (request.fromMs < Date.parse(`${lakeStartDate}T00:00:00Z`)) {
    const day = new Date(request.fromMs).toISOString().slice(0, 10);
    throw new Error(
      `invalid re-pull request: rePull.from ${new Date(request.fromMs).toISOString()} is before ` +
        `lakeStartDate ${lakeStartDate}, the first day the Athena tables read: the hours would be stored ` +
        `but no query would ever see them. Set lakeStartDate in cdk.json to ${day} or earlier and ` +
        'deploy first (moving it earlier is always safe).',
    );
  }
  const keptFromMs = maxDays === null ? undefined : agedOutBefore(nowMs, maxDays);
  if (keptFromMs !== undefined && request.fromMs < keptFromMs) {
    throw new Error(
      `invalid re-pull request: rePull.from ${new Date(request.fromMs).toISOString()} is older than ` +
        `retention.maxDays (${maxDays} days): the lake expires hours that old, and a re-pull would store ` +
        `them again for another ${maxDays} days. Re-pull from ${new Date(keptFromMs).toISOString()} or later.`,
    );
  }
}
