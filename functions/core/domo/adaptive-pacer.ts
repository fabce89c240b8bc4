import type { Clock } from '../ports.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Sleep } from './sleep.ts';

/** How one request went, as the pacer learns from it. */
export interface RequestOutcome {
  /** HTTP status; absent for timeouts and network errors. */
  status?: number;
  /** When the request was sent (the pacer's clock). */
  sentAt: number;
  /** From sending to the end of the body. */
  latencyMs: number;
}

export interface AdaptivePacer extends RateLimiter {
  record(outcome: RequestOutcome): void;
  /** The pace now, in requests per second; Infinity until the server first pushes back. */
  rate(): number;
}

export interface AdaptivePacerOptions {
  /** A hard ceiling an operator may set; default none (Infinity). */
  maxRequestsPerSecond?: number;
  /**
   * The slowest pace a push-back may cut to; default 0.2 req/s. Tests whose simulated API fails
   * one request in six on purpose raise it, as they shorten backoff, to prove correctness at speed.
   */
  minRequestsPerSecond?: number;
  clock: Clock;
  sleep: Sleep;
}

/** Multiplicative decrease: 0.8 keeps the sawtooth between 80 % and 100 % of the server's limit. */
const DECREASE = 0.8;
/** Additive increase, in requests per second gained per second of clean answers. */
const INCREASE_PER_S = 1;
const DEFAULT_MIN_RATE = 0.2;
/** Latency this many times the best seen (plus a floor) means the server is queueing us. */
const LATENCY_FACTOR = 3;
const LATENCY_FLOOR_MS = 250;
const WINDOW_MS = 1000;
/**
 * Pushback (429, 5xx, timeouts) cuts the pace only when it is sustained: at least this many of the
 * answers of the last second, and at least PUSHBACK_SHARE of them. A server holding us to a rate
 * answers every request above it with 429, so the share crosses 10 % within a second of
 * overshooting by 11 %; an isolated 5xx or 429 among clean answers (a flaky backend, a deploy)
 * says nothing about the pace, and cutting on each one pinned the demo's pace near 10 req/s.
 */
const MIN_PUSHBACKS = 2;
const PUSHBACK_SHARE = 0.1;

/**
 * Finds the pace the API allows instead of guessing one (AIMD, as TCP does). It starts unpaced, so
 * the ingest's own concurrency is the only limit; sustained pushback (429s, 5xx or timeouts making
 * up at least 10 % and two of the answers of the last second) or one answer with latency well above
 * the best seen cuts the pace to 0.8× the rate actually sent over the last second, at most once
 * per round (answers to requests sent before the cut do not count again); clean answers add
 * 1 req/s every second. A configured ceiling caps the pace throughout. One pacer serves every
 * request of a client, the token endpoint's included. `Retry-After` is honoured by the retried
 * request itself (see `sendRequest`).
 */
export function createAdaptivePacer(options: AdaptivePacerOptions): AdaptivePacer {
  const { clock, sleep } = options;
  const ceiling = options.maxRequestsPerSecond ?? Number.POSITIVE_INFINITY;
  if (!(ceiling > 0)) {
    throw new RangeError(`requestsPerSecond must be a positive number (or Infinity), got ${ceiling}`);
  }
  const floor = Math.min(ceiling, options.minRequestsPerSecond ?? DEFAULT_MIN_RATE);
  if (!(floor > 0)) {
    throw new RangeError(`minRequestsPerSecond must be a positive number, got ${floor}`);
  }
  let rate = ceiling;
  let nextSlot = Number.NEGATIVE_INFINITY;
  let lastCutAt = Number.NEGATIVE_INFINITY;
  let bestLatencyMs = Number.POSITIVE_INFINITY;
  const sent: number[] = [];
  /** Answers of the last second: when each arrived, and whether it was pushback of this round. */
  const answers: { at: number; pushback: boolean }[] = [];

  const sentLastWindow = (now: number): number => {
    while (sent.length > 0 && (sent[0] as number) <= now - WINDOW_MS) sent.shift();
    return sent.length;
  };

  const isPushback = ({ status }: RequestOutcome): boolean =>
    status === undefined || status === 429 || status >= 500;

  /** Records an answer; true when this round's pushback is now sustained. */
  const noteAnswer = (now: number, outcome: RequestOutcome): boolean => {
    answers.push({ at: now, pushback: isPushback(outcome) && outcome.sentAt >= lastCutAt });
    while (answers.length > 0 && (answers[0]?.at as number) <= now - WINDOW_MS) answers.shift();
    let pushbacks = 0;
    for (const answer of answers) if (answer.pushback) pushbacks++;
    return pushbacks >= MIN_PUSHBACKS && pushbacks >= PUSHBACK_SHARE * answers.length;
  };

  const cut = (now: number): void => {
    const measured = sentLastWindow(now);
    rate = Math.max(floor, Math.min(rate, measured > 0 ? measured : rate) * DECREASE);
    lastCutAt = now;
    nextSlot = Math.max(nextSlot, now + 1000 / rate);
    // The pushback that caused this cut is spent; the next cut needs pushback of its own.
    for (const answer of answers) answer.pushback = false;
  };

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + 1000 / rate;
      sent.push(slot);
      const waitMs = Math.ceil(slot - now);
      if (waitMs > 0) await sleep(waitMs, signal);
    },
    record(outcome) {
      const now = clock.now();
      const sustained = noteAnswer(now, outcome);
      if (isPushback(outcome)) {
        if (sustained) cut(now);
        return;
      }
      if (outcome.latencyMs > bestLatencyMs * LATENCY_FACTOR + LATENCY_FLOOR_MS) {
        if (outcome.sentAt >= lastCutAt) cut(now);
        return;
      }
      bestLatencyMs = Math.min(bestLatencyMs, outcome.latencyMs);
      if (Number.isFinite(rate)) rate = Math.min(ceiling, rate + INCREASE_PER_S / rate);
    },
    rate: () => rate,
  };
}
