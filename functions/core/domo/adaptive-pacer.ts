import type { Clock, Sleep } from '../ports.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** How one request went, as the pacer learns from it. */
export interface RequestOutcome {
  /** HTTP status; absent for timeouts and network errors. */
  status?: number;
  /** When the request was sent (the pacer's clock). */
  sentAt: number;
  /** From sending to the end of the body. */
  latencyMs: number;
  /**
   * False for an answer whose time is no measure of the pages' (the token endpoint's: a small
   * answer, often far quicker than a page of 1,000 entries): it is never slow and never sets the
   * best latency seen, which every page was judged against, so pages always over 3x a quick token
   * answer (plus 250 ms) held the pace at its floor for good. Its status still counts. Default true.
   */
  judgeLatency?: boolean;
  /**
   * How large the answer is (a page's bytes): its latency is judged only against answers of its
   * size class (powers of two) or larger ones, none under half its size, as a full page takes
   * longer than an empty one. Absent: judged against every answer.
   */
  size?: number;
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
/**
 * The additive increase past the pace the server is known to take: half the other, so the pace
 * stays near a known limit longer before probing past it (as CUBIC's plateau does). At +1 req/s a
 * second from there, the climb to the 10 % of 429s that cuts took half as long, and a server
 * allowing 20 req/s answered 429 to 7.1 % of the requests instead of 5.2 %.
 */
const PROBE_PER_S = 0.5;
/**
 * Below the pace the server is known to take (see `regainTo`), each clean answer adds this much
 * (about ×2.7 a second): the pace is back there within a second of a cut, where the additive
 * increase took one second per request/s (from the 6.4 req/s a stall of the answers cut to, ~14 s
 * to climb back to 20). Past that pace the increase is additive again.
 */
const REGAIN_PER_ANSWER = 1;
const DEFAULT_MIN_RATE = 0.2;
/** Latency this many times the best (plus a floor) means the server is queueing us. */
const LATENCY_FACTOR = 3;
const LATENCY_FLOOR_MS = 250;
/**
 * Latency is judged only once clean answers have set the best seen over a second and at least this
 * many of them: the first answers of a run (a small token answer, then pages read while the
 * process still loads its code or the server warms up) give no baseline, and a cut then, from the
 * few requests sent so far, left the pace far below the server's.
 */
const LATENCY_BASELINE_ANSWERS = 8;
/**
 * The best latency is the least of the last 10 s (BBR's window for its least round trip), not of
 * the whole run, whose least never rose: a server whose pages became slower for good (busier,
 * bigger pages) cut the pace round after round to its floor, and held it there for the rest of the
 * run. Cuts go on while answers are slow, so a queue of our own drains and an answer as quick as
 * before renews the best (within ~5 s against servers answering 2-10 requests a second to 4 or 8
 * workers; a window of 3 or 5 s took some of those queues for the best). Latency that the cuts do
 * not bring down for 10 s is not ours: it becomes the best, and the pace climbs back. A queue of our
 * own that outlasts it (cuts that do not bind while each answer takes over a second) becomes the
 * best too: the concurrency alone then bounds it.
 */
const BEST_LATENCY_WINDOW_MS = 10_000;
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
 * A slow answer cuts unless this many requests sent after it came back clean before it: then the
 * server was not queueing us, this one request was slow (a heavy tail). Cutting on each such answer
 * held 4 workers at 0.64 of the unpaced pace where 3 % of 50 ms answers took 0.6-2 s. A queue of
 * our own answers the later requests later and slower still: every cut of it stays as it was,
 * where waiting for two slow answers in a row, or for slowness in 10 % of the last second's
 * answers as for pushback, cut such a queue later each time (and one of 8 workers at 1.5-2 req/s
 * hardly at all).
 */
const OVERTAKEN = 2;

/** Why the pace is cut: 429s, other pushback (5xx, timeouts), or latency well above the best. */
type CutCause = 'throttled' | 'failing' | 'slow';

const pushbackCause = ({ status }: RequestOutcome): CutCause => (status === 429 ? 'throttled' : 'failing');

/** A judged answer's latency and when it came, for the best of the last 10 s. */
interface Latency {
  at: number;
  latencyMs: number;
}

/** The latencies of one size class: the least of the last 10 s, and the latest. */
function createLatencyWindow() {
  /** Only latencies below every later one, oldest first. */
  const samples: Latency[] = [];
  let latest = Number.POSITIVE_INFINITY;
  return {
    add(sample: Latency): void {
      while (samples.length > 0 && (samples.at(-1) as Latency).latencyMs >= sample.latencyMs) samples.pop();
      samples.push(sample);
      latest = sample.latencyMs;
    },
    /** The least of the last 10 s; Infinity when none came in them. */
    least(now: number): number {
      while (samples.length > 0 && (samples[0] as Latency).at <= now - BEST_LATENCY_WINDOW_MS)
        samples.shift();
      return samples[0]?.latencyMs ?? Number.POSITIVE_INFINITY;
    },
    latest: () => latest,
  };
}

/** Size classes by powers of two: 2^31 bytes and more share the last. */
const SIZE_CLASSES = 32;
const sizeClass = (size: number | undefined): number =>
  size === undefined || !(size >= 1) ? 0 : Math.min(SIZE_CLASSES - 1, Math.floor(Math.log2(size)));

/**
 * The best latency an answer is judged against: the least of the last 10 s among answers of its
 * size class (by powers of two) and larger ones. Latency grows with a page's size: with one best
 * for all, the quick small pages of quiet hours (and each hour's last page) made every full page
 * slow, and the pace was cut round after round (a backfill of busy days and quiet nights took 3.2x
 * as long as unpaced). With no answer of those classes in the last 10 s, the latest of the answer's
 * own class is kept (a pause says nothing of the server), never an older one of a larger class: a
 * class judged against the quick pages of an hour ago would be slow for good.
 */
function createBestLatency() {
  const classes = Array.from({ length: SIZE_CLASSES }, createLatencyWindow);
  const of = (cls: number) => classes[cls] as ReturnType<typeof createLatencyWindow>;
  return {
    add(size: number | undefined, sample: Latency): void {
      of(sizeClass(size)).add(sample);
    },
    at(now: number, size: number | undefined): number {
      const cls = sizeClass(size);
      let least = Number.POSITIVE_INFINITY;
      for (let larger = cls; larger < SIZE_CLASSES; larger++) least = Math.min(least, of(larger).least(now));
      return Number.isFinite(least) ? least : of(cls).latest();
    },
  };
}

/** An answer of the last second: when it came, whether it is pushback of this round, or clean. */
interface Answer {
  at: number;
  pushback: boolean;
  clean: boolean;
}

/**
 * Finds the pace the API allows instead of guessing one (AIMD, as TCP does). It starts unpaced, so
 * the ingest's own concurrency is the only limit; sustained pushback (429s, 5xx or timeouts making
 * up at least 10 % and two of the answers of the last second) or, once a second of clean answers
 * (eight at least) has set a baseline, one answer with latency well above the best of the last
 * 10 s for its size (see createBestLatency), not overtaken by clean answers (see OVERTAKEN), cuts
 * the pace to 0.8× the rate sent over the last second (or
 * the pace the server is known to take, when that is more), at most once per round (answers to
 * requests sent before the cut do not count again). That known pace is the clean answers of the
 * second before a cut on 429s (5xx and timeouts may only raise it) or, after a cut on latency, the
 * most answered cleanly in a second since the cut before (the higher of that and the known pace,
 * unless the cut before was on latency too). Clean answers climb back to it fast (+1 req/s each,
 * about ×2.7 a second), then add 0.5 req/s every second beyond it (1 req/s while no pace is
 * known). A configured ceiling caps the pace throughout. One pacer serves every request of a
 * client, the token endpoint's included. `Retry-After` is honoured by the retried request itself
 * (see `sendRequest`).
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
  /**
   * The pace to climb back to fast after a cut. 429s set it to the clean answers of the last second
   * (what a rate-limiting server took; other pushback may only raise it); a cut on latency raises it to the most the server
   * answered cleanly in a second since the cut before, as a stall of the answers also stalls the
   * sending and the last second's counts then say nothing of the pace the server takes; a second
   * cut on latency in a row sets it to that most.
   */
  let regainTo = 0;
  /** The most clean answers in any sliding second since the last cut. */
  let peakClean = 0;
  let lastCutOnLatency = false;
  let nextSlot = Number.NEGATIVE_INFINITY;
  let lastCutAt = Number.NEGATIVE_INFINITY;
  /** The clean judged answers of the last 10 s: when each came, and when its request was sent. */
  const cleanSent: { at: number; sentAt: number; cls: number }[] = [];
  const best = createBestLatency();
  let cleanAnswers = 0;
  let firstCleanAt = Number.POSITIVE_INFINITY;
  const sent: number[] = [];
  const answers: Answer[] = [];

  const sentLastWindow = (now: number): number => {
    while (sent.length > 0 && (sent[0] as number) <= now - WINDOW_MS) sent.shift();
    return sent.length;
  };

  const isPushback = ({ status }: RequestOutcome): boolean =>
    status === undefined || status === 429 || status >= 500;

  /**
   * Whether an answer (not pushback) whose latency is judged is slow. It counts for the best
   * latency, slow or not: when slow answers are all the last 10 s holds, their least is the best.
   */
  const judgeSlow = (now: number, { latencyMs, size }: RequestOutcome): boolean => {
    const slow =
      cleanAnswers >= LATENCY_BASELINE_ANSWERS &&
      now - firstCleanAt >= WINDOW_MS &&
      latencyMs > best.at(now, size) * LATENCY_FACTOR + LATENCY_FLOOR_MS;
    best.add(size, { at: now, latencyMs });
    return slow;
  };

  /**
   * Whether a slow answer was overtaken: at least OVERTAKEN requests sent after it came back clean
   * within the last 10 s, so the server was not queueing us then.
   */
  const overtaken = (now: number, sentAt: number, size: number | undefined): boolean => {
    const cls = sizeClass(size);
    let later = 0;
    for (const answer of cleanSent)
      if (answer.sentAt > sentAt && answer.cls >= cls && answer.at > now - BEST_LATENCY_WINDOW_MS) later++;
    return later >= OVERTAKEN;
  };

  /** A clean answer whose latency is judged, for `overtaken`. */
  const noteClean = (now: number, sentAt: number, size: number | undefined): void => {
    cleanSent.push({ at: now, sentAt, cls: sizeClass(size) });
    while ((cleanSent[0] as { at: number }).at <= now - BEST_LATENCY_WINDOW_MS) cleanSent.shift();
  };

  /** The answers of the last second: how many were pushback of this round, how many clean. */
  const countAnswers = () => {
    let pushbacks = 0;
    let clean = 0;
    for (const answer of answers) {
      if (answer.pushback) pushbacks++;
      if (answer.clean) clean++;
    }
    return { pushbacks, clean };
  };

  /** Records an answer; true when this round's pushback is now sustained. */
  const noteAnswer = (now: number, outcome: RequestOutcome, clean: boolean): boolean => {
    answers.push({ at: now, pushback: isPushback(outcome) && outcome.sentAt >= lastCutAt, clean });
    while (answers.length > 0 && (answers[0]?.at as number) <= now - WINDOW_MS) answers.shift();
    const counts = countAnswers();
    peakClean = Math.max(peakClean, counts.clean);
    return counts.pushbacks >= MIN_PUSHBACKS && counts.pushbacks >= PUSHBACK_SHARE * answers.length;
  };

  const cut = (now: number, cause: CutCause): void => {
    const measured = sentLastWindow(now);
    const { clean } = countAnswers();
    // Only a 429 says the clean answers of the last second are the pace the server takes: the end of
    // a 5xx burst holds one or two among the errors, which say nothing of it, and may only raise it.
    // A second cut on latency in a row means the server is slow at the pace regained: only what it
    // took since counts.
    if (cause === 'throttled') regainTo = clean > 0 ? clean : regainTo;
    else if (cause === 'failing') regainTo = Math.max(regainTo, clean);
    else regainTo = lastCutOnLatency ? peakClean : Math.max(regainTo, peakClean);
    lastCutOnLatency = cause === 'slow';
    regainTo = Math.min(ceiling, regainTo);
    // A stall of the answers stalls the sending too: a cut is never from below the pace known. With
    // nothing sent in the last second and no pace yet (unpaced: Infinity), the cut starts from the
    // pace known or the answers of the last second, so that it paces at all.
    const base =
      measured > 0
        ? Math.min(rate, Math.max(measured, regainTo))
        : Number.isFinite(rate)
          ? rate
          : Math.max(regainTo, answers.length, 1);
    rate = Math.max(floor, base * DECREASE);
    peakClean = 0;
    lastCutAt = now;
    nextSlot = Math.max(nextSlot, now + 1000 / rate);
    // The pushback that caused this cut is spent; the next cut needs pushback of its own.
    for (const answer of answers) answer.pushback = false;
  };

  /** A clean answer whose latency is judged: the baseline latency is judged only once it has. */
  const noteBaseline = (now: number, sentAt: number, size: number | undefined): void => {
    noteClean(now, sentAt, size);
    cleanAnswers++;
    firstCleanAt = Math.min(firstCleanAt, now);
  };

  const grow = (): void => {
    if (!Number.isFinite(rate)) return;
    const perSecond = regainTo > 0 ? PROBE_PER_S : INCREASE_PER_S;
    const next = rate < regainTo ? Math.min(regainTo, rate + REGAIN_PER_ANSWER) : rate + perSecond / rate;
    rate = Math.min(ceiling, next);
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
      const pushback = isPushback(outcome);
      const judged = outcome.judgeLatency !== false;
      const slow = !pushback && judged && judgeSlow(now, outcome);
      const sustained = noteAnswer(now, outcome, !pushback && !slow);
      if (pushback) {
        if (sustained) cut(now, pushbackCause(outcome));
        return;
      }
      if (slow) {
        if (outcome.sentAt >= lastCutAt && !overtaken(now, outcome.sentAt, outcome.size)) cut(now, 'slow');
        return;
      }
      if (judged) noteBaseline(now, outcome.sentAt, outcome.size);
      grow();
    },
    rate: () => rate,
  };
}
