/**
 * How long to wait before retrying a request Domo did not answer usefully: the server's own
 * `Retry-After` when it sent one, otherwise exponential backoff with full jitter.
 */

export interface BackoffPolicy {
  /** Ceiling of the first retry's random delay; doubles with every retry. */
  baseDelayMs: number;
  /** Largest backoff ceiling. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one is cut to this and the request is retried anyway. */
  maxRetryAfterMs: number;
  /** Uniform in [0, 1), like `Math.random`. */
  random: () => number;
}

export interface RetryDelay {
  delayMs: number;
  /** What the server asked for, in ms, when it sent a usable `Retry-After`. */
  retryAfterMs?: number;
}

/**
 * Full-jitter delay for the retry numbered `retry` (0 for the first retry):
 * uniform in `[0, min(maxDelayMs, baseDelayMs * 2^retry))`. Full jitter spreads clients that
 * failed together, so they do not come back together.
 */
export function fullJitterDelay(retry: number, policy: Omit<BackoffPolicy, 'maxRetryAfterMs'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * ceiling);
}

/**
 * Parses a `Retry-After` header value into a delay in ms from `nowMs`: either delta-seconds
 * (`"120"`) or an HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`). A date in the past means 0.
 * A header sent twice reaches us joined by `fetch`'s `Headers.get` (`"1, 1"`): each value is read
 * and the longest wait kept (review R-PACE F10: `Date.parse("1, 1")` is a day of 2001, so a
 * proxy repeating `Retry-After: 1` turned "wait 1 s" into "retry now").
 * Returns undefined for a missing or unparseable value.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const one = parseOneRetryAfter(text, nowMs);
  if (one !== undefined || !text.includes(',')) return one;
  // A date holds a comma after its day name too: values are split only after a whole value (a
  // number standing alone, or a date's "GMT").
  const parts = text.split(/(?<=(?:^|,)\s*[\d.]+|GMT)\s*,\s*/);
  if (parts.length < 2) return undefined;
  let longest: number | undefined;
  for (const part of parts) {
    const ms = parseOneRetryAfter(part, nowMs);
    if (ms === undefined) return undefined;
    longest = Math.max(longest ?? 0, ms);
  }
  return longest;
}

function parseOneRetryAfter(text: string, nowMs: number): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // A bare number with a sign or exponent is neither form; Date.parse would accept some of them
  // (and a list of numbers, which the caller reads value by value).
  if (/^[-+.\d\se,]+$/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** The delay before retry number `retry` (0-based), honouring `Retry-After` up to the policy's cap. */
export function retryDelay(
  retry: number,
  retryAfterHeader: string | null | undefined,
  nowMs: number,
  policy: BackoffPolicy,
): RetryDelay {
  const retryAfterMs = parseRetryAfter(retryAfterHeader, nowMs);
  if (retryAfterMs !== undefined) {
    return { delayMs: Math.min(retryAfterMs, policy.maxRetryAfterMs), retryAfterMs };
  }
  return { delayMs: fullJitterDelay(retry, policy) };
}
