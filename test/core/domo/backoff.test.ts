import { describe, expect, it } from 'vitest';
import { fullJitterDelay, parseRetryAfter, retryDelay } from '../../../functions/core/domo/backoff.ts';

const policy = (random: number) => ({
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  random: () => random,
});
const now = Date.parse('2026-10-01T10:00:00Z');

describe('fullJitterDelay', () => {
  it('draws from [0, min(cap, base * 2^retry)) with the injected random', () => {
    expect(fullJitterDelay(0, policy(0))).toBe(0);
    expect(fullJitterDelay(0, policy(0.5))).toBe(250);
    expect(fullJitterDelay(1, policy(0.5))).toBe(500);
    expect(fullJitterDelay(3, policy(0.5))).toBe(2000);
    expect(fullJitterDelay(3, policy(0.999_999))).toBe(3999);
  });

  it('never exceeds the cap however many retries came before', () => {
    expect(fullJitterDelay(20, policy(0.5))).toBe(15_000);
    expect(fullJitterDelay(200, policy(0.999_999))).toBeLessThan(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to the given clock, past dates meaning now', () => {
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Oct 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Oct 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores missing and malformed values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1e3', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('reads a header sent twice (joined by a comma) value by value, keeping the longest wait', () => {
    // Date.parse('1, 1') is 2001-01-01: read as a date, "wait 1 s" was "retry now" (R-PACE F10).
    expect(parseRetryAfter('1, 1', now)).toBe(1000);
    expect(parseRetryAfter('2,5', now)).toBe(5000);
    expect(parseRetryAfter('120, 120', now)).toBe(120_000);
    const date = 'Thu, 01 Oct 2026 10:01:00 GMT';
    expect(parseRetryAfter(`${date}, ${date}`, now)).toBe(60_000);
    expect(parseRetryAfter(`3, ${date}`, now)).toBe(60_000);
    expect(parseRetryAfter('1, soon', now)).toBeUndefined();
    expect(parseRetryAfter('1, -5', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('honours Retry-After over backoff and reports what the server asked for', () => {
    expect(retryDelay(4, '3', now, policy(0.5))).toEqual({ delayMs: 3000, retryAfterMs: 3000 });
  });

  it('cuts a Retry-After beyond the cap to the cap', () => {
    expect(retryDelay(0, '3600', now, policy(0.5))).toEqual({ delayMs: 120_000, retryAfterMs: 3_600_000 });
  });

  it('falls back to full jitter without a usable Retry-After', () => {
    expect(retryDelay(2, null, now, policy(0.25))).toEqual({ delayMs: 500 });
    expect(retryDelay(2, 'garbage', now, policy(0.25))).toEqual({ delayMs: 500 });
  });
});
