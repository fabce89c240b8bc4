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
  /**
   * The wait the server asked for with this answer (`Retry-After`, in ms), when it is pushback:
   * every request of the client holds for it (see {@link AdaptivePacer.heldMs}).
   */
  retryAfterMs?: number;
}

export interface AdaptivePacer extends RateLimiter {
  record(outcome: RequestOutcome): void;
  /** The pace now, in requests per second; Infinity until the server first pushes back. */
  rate(): number;
  /**
   * How long every request is still held for a `Retry-After` (0 when none holds): a refused
   * request waits this long before its retry, as the others wait in `acquire`.
   */
  heldMs(): number;
  /** When a request was last answered with anything but pushback; -Infinity before any was. */
  lastAnsweredAt(): number;
}

export interface AdaptivePacerOptions {
  /** A hard ceiling an operator may set; default none (Infinity). */
  maxRequestsPerSecond?: number;
  /**
   * The slowest pace a push-back may cut to; default 0.2 req/s. Tests whose simulated API fails
   * one request in six on purpose raise it, as they shorten backoff, to prove correctness at speed.
   */
  minRequestsPerSecond?: number;
  /** The longest a `Retry-After` holds the client; default 120 s (a request's longest wait). */
  maxHoldMs?: number;
  clock: Clock;
  sleep: Sleep;
}

/** Multiplicative decrease: 0.8 keeps the sawtooth between 80 % and 100 % of the server's limit. */
const DECREASE = 0.8;
/** Additive increase, in requests per second gained per second of clean answers. */
const INCREASE_PER_S = 1;
/**
 * The increase past the pace the server is known to take, per second, as a share of that pace:
 * 0.5 req/s a second at 20 req/s, so the pace stays near a known limit before probing past it (as
 * CUBIC's plateau does; at +1 req/s a second a server allowing 20 req/s answered 429 to 7.1 % of
 * the requests instead of 5.2 %). A fixed +0.5 req/s a second was 25 % of a 2 req/s limit every
 * second: the pace sat at 1.5-2.5x a small limit and 22-67 % of the requests were refused
 * (review R-PACE F1).
 */
const PROBE_SHARE_PER_S = 0.025;
/**
 * And a tenth a second of what the pace has gained past that known pace, so that a probe that
 * keeps being answered cleanly speeds up (CUBIC's convex part): a limit lifted after a brief
 * throttle is found again in tens of seconds, where the linear probe took 70 s from 5 to 41 req/s
 * (review R-PACE F7).
 */
const PROBE_GROWTH_PER_S = 0.2;
/**
 * The speeding up starts past this multiple of the pace last refused (429s), so that the climb to
 * that limit stays linear: from 0.9x a 1 req/s limit it reached 1.36 req/s in 12 s, sending on
 * slots given out seconds before, and the cut that followed was not below the limit. Past it the
 * limit has been raised.
 */
const PLATEAU = 1.1;
/**
 * Below this pace (req/s) the linear probe slows in proportion, so that it takes about as many
 * requests as at 5 req/s (~20) to climb from 0.9x a limit back to it: in seconds, at 1 req/s four
 * requests crossed it each time and 11 % of them were refused.
 */
const SMALL_PACE = 5;
/**
 * Below the pace last refused, the pace also closes this share of the gap to it a second (CUBIC's
 * concave part): a cut during a sudden drop of the limit (50 to 5 req/s) counted the few answers
 * of a server's window still full, and the linear probe alone then took minutes from 1.8 req/s.
 */
const CLOSE_PER_S = 0.05;
/**
 * Below the pace the server is known to take (see `regainTo`), each clean answer adds this much
 * (about ×2.7 a second): the pace is back there within a second of a cut, where the additive
 * increase took one second per request/s (from the 6.4 req/s a stall of the answers cut to, ~14 s
 * to climb back to 20). Past that pace the increase is additive again.
 */
const REGAIN_PER_ANSWER = 1;
/**
 * The pace climbed back to after a cut on 429s: this share of the clean answers of the second
 * before. A server's strict sliding second refuses one request in L+1 once the pace passes its
 * limit L by any margin (a third at 2 req/s): climbing back to the whole of it put the pace at the
 * limit and 24-32 % of the requests were refused at 1-2 req/s (review R-PACE F1).
 */
const REGAIN_SHARE = 0.9;
/**
 * Or this many requests a second under those clean answers, whichever is more: the share a strict
 * sliding second refuses past a limit L is 1/(L+1), under 5 % at 20 req/s, where 0.9x of it (18)
 * left a tenth of the limit unused; at 10 req/s and under the two are one.
 */
const REGAIN_MARGIN = 1;
/**
 * Past a pace learnt within the first second of answers (a floor only, see `provisional`), each
 * clean answer adds this much (about ×1.3 a second), until the first 429: a second run against a
 * server whose sliding second still held 5-10 requests of the run before (the bench's runs, back to
 * back) learnt 10-15 req/s of a 20 req/s limit and probed past it at 0.5 req/s a second, 1.35-1.5x
 * the time of the requests at the limit (virtual time). Faster (+0.5 an answer) overshot further
 * and a first run, whose floor was right, lost more to the 429s of the probe; slower (+0.15) took
 * seconds to reach the limit. Below SMALL_PACE it slows in proportion, as the probe does: +0.25
 * req/s a second is a quarter of a 1 req/s limit (at 1 req/s 7.8 % of 429s with 8 workers, 7.4 %
 * so, as before the floor).
 */
const PROVISIONAL_PER_ANSWER = 0.25;
/**
 * The probe past a pace no limit has been confirmed near (see `confirmedLimit`) gains at least
 * this much a second, the pacer's before the slow limits: a pace learnt from a stray 429 (the first
 * second's, one after a hold, a flaky backend's) probed at 0.005 req/s a second from 1 req/s and a
 * run against a server with room took 14x as long (review R-PACE2 F1).
 */
const UNCONFIRMED_PROBE_PER_S = 0.5;
/**
 * A limit is confirmed once this many cuts on 429s in a row learnt a pace near one another (within
 * NEAR of the one before) with no 429 below a limit between them (see belowLimit): only then does
 * one 429 among ten answers cut, a cut cap the pace at the pace learnt, and the probe past it slow
 * to a share of it. A strict limit refuses nothing below it and learns the same pace at each cut;
 * random 429s (a flaky backend) come at any pace. Within 1.5x, 20 % of random 429s learnt 1.8,
 * 2.7, 3.6 req/s cut after cut, "confirmed" a limit, and 1000 pages took 2.5-3.5x as long as
 * without one (review R-PACE3 F1; 1.25x: 1.1-1.35x).
 */
const CONFIRMING_CUTS = 2;
const NEAR = 1.25;
/**
 * A 429 to a request sent while the pace was under this multiple of the pace learnt at the last
 * cut came below the limit that cut claims: random, not a limit (see CONFIRMING_CUTS).
 */
const BELOW_LIMIT = 1.05;
/**
 * A second of the last 10 s answered cleanly with over this many times the requests sent in the
 * second before a 429 is of a limit that dropped since (a server busier now), not a sign of random
 * 429s: confirming the new limit waited 10 s after a drop from 20 to 2 req/s, and 13.5 % of the
 * requests were refused (virtual time). Random 429s come at paces near the last seconds'.
 */
const DROPPED = 2;
/**
 * A cut on 429s while the client sent under this share of its pace (its workers waiting out their
 * own `Retry-After`s) learns nothing below the pace known: the last second's few clean answers were
 * the client's, not the server's, and 5 % of random 429s asking for 5 s learnt 0.9 req/s from two
 * where 14 were known (review R-PACE2 F1).
 */
const UNDER_SENT = 0.5;
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
 * The answers pushback is counted among: those of the last second, and at least the last this
 * many of the last 10 s. At 1-3 req/s a second rarely held two 429s, so the pace was cut late or
 * never and sat above a small limit (review R-PACE F1).
 */
const MIN_WINDOW_ANSWERS = 10;
/**
 * The first hold for a `Retry-After`, doubled each time a request sent after a hold is refused
 * again before any clean answer, up to `maxHoldMs`: a server whose window is a second but which
 * asks for an hour (review R-PACE F4) holds the client 5 s, while one that means it holds it
 * longer each time, the requests at each hold's end probing.
 */
const FIRST_HOLD_MS = 5000;
/**
 * A `Retry-After` of a second or less (what a per-second limit answers) holds no one but the
 * refused request: the cut re-spaces the others already (see acquire), and holding every request
 * for it too cost 8 % of a 20 req/s limit with not one 429 fewer (virtual time).
 */
const MIN_HOLD_MS = 1000;
/**
 * 429s hold every request only at this share of the answers kept, or once a limit is confirmed
 * (see CONFIRMING_CUTS): two random 429s among 10-20 answers (a flaky backend's 5 %) held four
 * workers 2 s at each cut, 42 s of a 119 s run (review R-PACE2 F1).
 */
const HOLD_SHARE = 0.25;
const DEFAULT_MAX_HOLD_MS = 120_000;
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

/** The answers kept: pushback of this round, and the clean ones (pages among them) of the last second. */
interface Counts {
  pushbacks: number;
  clean: number;
  cleanPages: number;
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
  /** Its latency is judged: a page's, not the token request's (see RequestOutcome.judgeLatency). */
  judged: boolean;
}

/**
 * The shared hold for `Retry-After`: every request waits until `until`. Its length escalates from
 * FIRST_HOLD_MS while requests sent after a hold are refused again with no clean answer between.
 */
function createHold(maxHoldMs: number) {
  let until = Number.NEGATIVE_INFINITY;
  let streak = 0;
  /** A hold was set and no clean answer came since. */
  let unanswered = false;
  return {
    until: () => until,
    /** A refusal at `now` of a request sent at `sentAt` asking to wait `askedMs`. */
    refused(now: number, sentAt: number, askedMs: number): void {
      if (unanswered && sentAt >= until) streak++;
      const capMs = Math.min(maxHoldMs, FIRST_HOLD_MS * 2 ** Math.min(streak, 30));
      until = Math.max(until, now + Math.min(askedMs, capMs));
      unanswered = true;
    },
    clean(): void {
      streak = 0;
      unanswered = false;
    },
  };
}

/**
 * Finds the pace the API allows instead of guessing one (AIMD, as TCP does). It starts unpaced, so
 * the ingest's own concurrency is the only limit; sustained pushback (429s, 5xx or timeouts making
 * up at least 10 % and two of the answers of the last second or the last ten, whichever are more,
 * or one 429 among ten or more: see MIN_WINDOW_ANSWERS) or, once a second of clean answers (eight
 * at least) has set a baseline, one answer with latency well above the best of the last 10 s for
 * its size (see createBestLatency), not overtaken by clean answers (see OVERTAKEN), cuts the pace
 * to 0.8× the rate sent lately (or the pace the server is known to take, when that is more), at
 * most once per round (answers to requests sent before the cut do not count again, nor 429s to
 * requests sent within a second of a cut on 429s), and after 429s, once a limit is confirmed (see
 * CONFIRMING_CUTS), to no more than that known pace.
 * The known pace is the clean answers of the second before a cut on 429s less 1 req/s, or 0.9x
 * them at 10 req/s and under (5xx and timeouts may only raise it) or, after a cut on latency, the
 * most answered cleanly in a second since the cut before (the higher of that and the known pace,
 * unless the cut before was on latency too). Requests waiting for a slot are re-spaced at a cut.
 * Clean answers climb back to the known pace fast (+1 req/s each, about ×2.7 a second), then probe
 * past it (see PROBE_SHARE_PER_S, CLOSE_PER_S, PROBE_GROWTH_PER_S; +1 req/s a second while no pace
 * is known); a pace learnt within a second of the first answer is a floor only, past which the
 * probe is fast to the first 429 (see PROVISIONAL_PER_ANSWER). A configured ceiling caps the pace
 * throughout. One pacer serves every request of a client, the token endpoint's included. Sustained
 * pushback with a `Retry-After` over a second holds every request of the client, not only the
 * refused one (see createHold).
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
  /** The pace last cut on 429s (see PLATEAU). */
  let refusedPace = 0;
  /** When the first answer came: a cut within a second of it counted less than a second's answers. */
  let firstAnswerAt = Number.POSITIVE_INFINITY;
  /** The known pace is a floor only (see learnPace), so the pace climbs past it fast. */
  let provisional = false;
  /** Whether the last cut was on 429s (see noteAnswer). */
  let lastCutThrottled = false;
  /** Cuts on 429s in a row near one another's pace (see CONFIRMING_CUTS), and the last one's. */
  let nearCuts = 0;
  let nearPace = 0;
  /** When the last hold for a `Retry-After` ended: a second after it counts as the first. */
  let heldUntil = Number.NEGATIVE_INFINITY;
  let lastAnsweredAt = Number.NEGATIVE_INFINITY;
  /** The share of pushback among the answers kept, at the latest answer. */
  let pushbackShare = 0;
  /** When a 429 last asked for a wait over MIN_HOLD_MS (see `learnt`). */
  let longAskAt = Number.NEGATIVE_INFINITY;
  let lastCutOnLatency = false;
  let nextSlot = Number.NEGATIVE_INFINITY;
  let lastCutAt = Number.NEGATIVE_INFINITY;
  /** The clean judged answers of the last 10 s: when each came, and when its request was sent. */
  const cleanSent: { at: number; sentAt: number; cls: number }[] = [];
  const best = createBestLatency();
  let cleanAnswers = 0;
  let firstCleanAt = Number.POSITIVE_INFINITY;
  /** When requests were sent, oldest first: those of the last 10 s, or the last ten at least. */
  const sent: number[] = [];
  /** The pace each request of the last 10 s was sent at, oldest first (see noteRefusal). */
  const sentPaces: { at: number; pace: number }[] = [];
  /** The clean answers of the last second at each answer of the last 10 s (see noteRefusal). */
  const cleanSeconds: { at: number; clean: number }[] = [];
  const answers: Answer[] = [];
  const hold = createHold(options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS);
  /** The latest slot a request was sent in, and how many cuts there have been (see acquire). */
  let lastSlot = Number.NEGATIVE_INFINITY;
  let epoch = 0;

  const notePace = (at: number): void => {
    sentPaces.push({ at, pace: rate });
    while ((sentPaces[0] as { at: number }).at <= at - BEST_LATENCY_WINDOW_MS) sentPaces.shift();
  };

  const trimSent = (now: number): void => {
    while (
      sent.length > 0 &&
      ((sent[0] as number) <= now - BEST_LATENCY_WINDOW_MS ||
        (sent.length > MIN_WINDOW_ANSWERS && (sent[0] as number) <= now - WINDOW_MS))
    )
      sent.shift();
  };

  /**
   * The rate sent lately, in requests per second: those of the last second, or fewer when the last
   * ten sent over the time since the first of them (a second at least) say less. At 1-2 req/s a
   * second held two sends 973 ms apart, and the cut was from 1.36 req/s where 1 was sent (review
   * R-PACE F1).
   */
  const sentRate = (now: number): number => {
    trimSent(now);
    if (sent.length === 0) return 0;
    let lastSecond = 0;
    for (const at of sent) if (at > now - WINDOW_MS) lastSecond++;
    const spanMs = Math.max(WINDOW_MS, now - (sent[0] as number));
    return Math.min(lastSecond, (sent.length * 1000) / spanMs);
  };

  const isPushback = ({ status }: RequestOutcome): boolean =>
    status === undefined || status === 429 || status >= 500;

  /** A limit near the pace has been seen repeatedly (see CONFIRMING_CUTS). */
  const confirmedLimit = (): boolean => nearCuts >= CONFIRMING_CUTS;

  /**
   * A second after the first answer or after a hold, the answers of the last second (or ten) are
   * those of a part of it, or of the requests that waited: a pace learnt from them is a floor only.
   */
  const partialWindow = (now: number): boolean =>
    now - firstAnswerAt < WINDOW_MS || now - heldUntil < WINDOW_MS;

  /** An answer that is not pushback: a hold's refusals in a row end. */
  const noteAnswered = (now: number): void => {
    hold.clean();
    lastAnsweredAt = now;
  };

  /** The pace a request sent at `sentAt` went at: the latest noted at or before it. */
  const paceAt = (sentAt: number): number => {
    let pace = rate;
    for (const entry of sentPaces) if (entry.at <= sentAt) pace = entry.pace;
    return pace;
  };

  /**
   * Whether a request sent at `sentAt` and refused went at less than a strict limit would refuse:
   * under the pace learnt at the last cut (see BELOW_LIMIT), or with fewer requests sent in the
   * second before it than the most answered cleanly in a second of the last 10 s, as a limit the
   * server kept to took that many, but not under half of them (see DROPPED). Fewer by two (a
   * margin for answers bunched by latency) left 20 % of random 429s 5-10 % slower (virtual time).
   */
  const belowLimit = (sentAt: number): boolean => {
    if (paceAt(sentAt) < BELOW_LIMIT * regainTo) return true;
    let sends = 0;
    for (const entry of sentPaces) if (entry.at > sentAt - WINDOW_MS && entry.at < sentAt) sends++;
    let most = 0;
    for (const entry of cleanSeconds) most = Math.max(most, entry.clean);
    return sends < most && most <= DROPPED * Math.max(1, sends);
  };

  /**
   * A 429 below a limit (see belowLimit) says the pace learnt was no limit. Judged by the pace the
   * request went at, not the pace now, and in the second after a cut too: the climb back and the
   * probe had lifted the pace past the one learnt within that second, whose 429s were skipped, and
   * random 429s after it found the pace past it, so they confirmed a limit (review R-PACE3 F1).
   */
  const noteRefusal = (now: number, outcome: RequestOutcome): void => {
    if (outcome.status !== 429) return;
    if ((outcome.retryAfterMs ?? 0) > MIN_HOLD_MS) longAskAt = now;
    if (belowLimit(outcome.sentAt)) nearCuts = 0;
  };

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

  /**
   * The answers kept (see MIN_WINDOW_ANSWERS): how many were pushback of this round, and how many
   * of the last second were clean.
   */
  const countAnswers = (now: number): Counts => {
    let pushbacks = 0;
    let clean = 0;
    let cleanPages = 0;
    for (const answer of answers) {
      if (answer.pushback) pushbacks++;
      if (!answer.clean || answer.at <= now - WINDOW_MS) continue;
      clean++;
      if (answer.judged) cleanPages++;
    }
    return { pushbacks, clean, cleanPages };
  };

  /** Whether the oldest answer kept is out of the window (see MIN_WINDOW_ANSWERS). */
  const outOfWindow = (now: number, at: number): boolean =>
    at <= now - BEST_LATENCY_WINDOW_MS || (at <= now - WINDOW_MS && answers.length > MIN_WINDOW_ANSWERS);

  /** Records an answer; true when this round's pushback is now sustained. */
  const noteAnswer = (now: number, outcome: RequestOutcome, clean: boolean): boolean => {
    // After a cut on 429s the server's sliding second still holds the requests it took at the pace
    // refused, for up to a second: a 429 to a request sent in it says that window was full, not that
    // the new pace is too fast, and cutting on it again took 20 req/s down to 14 (virtual time).
    const since = lastCutAt + (lastCutThrottled && outcome.status === 429 ? WINDOW_MS : 0);
    const pushback = isPushback(outcome) && outcome.sentAt > since;
    answers.push({ at: now, pushback, clean, judged: outcome.judgeLatency !== false });
    while (answers.length > 0 && outOfWindow(now, (answers[0] as Answer).at)) answers.shift();
    const counts = countAnswers(now);
    peakClean = Math.max(peakClean, counts.clean);
    cleanSeconds.push({ at: now, clean: counts.clean });
    while ((cleanSeconds[0] as { at: number }).at <= now - BEST_LATENCY_WINDOW_MS) cleanSeconds.shift();
    pushbackShare = counts.pushbacks / answers.length;
    return sustainedNow(outcome, counts.pushbacks);
  };

  /** Whether `pushbacks` of this round, the latest with `outcome`, are sustained. */
  const sustainedNow = (outcome: RequestOutcome, pushbacks: number): boolean => {
    // Past a floor (see provisional), the first 429 of the probe ends it: each refused request waits
    // its Retry-After, a second at the bench's server, a quarter of the pace of four workers.
    if (provisional && outcome.status === 429 && pushbacks > 0) return true;
    if (pushbacks < PUSHBACK_SHARE * answers.length) return false;
    // Random 429s come at any pace: one among ten says nothing until a limit near the pace is
    // confirmed (review R-PACE2 F1).
    if (!confirmedLimit()) return pushbacks >= MIN_PUSHBACKS;
    // One 429 among ten answers or fewer a second is a share the two-pushback rule would wait
    // seconds for at 1-5 req/s, while a strict window refuses 1 in L+1 requests above a limit L.
    const throttled = outcome.status === 429 && answers.length >= MIN_WINDOW_ANSWERS;
    return pushbacks >= (throttled ? 1 : MIN_PUSHBACKS);
  };

  /** A cut on 429s learnt `pace`: one more near the last, or the first of a new run of them. */
  const noteThrottledCut = (pace: number): void => {
    if (provisional || !(pace > 0)) return;
    const near = nearCuts > 0 && pace <= NEAR * nearPace && pace * NEAR >= nearPace;
    nearCuts = near ? nearCuts + 1 : 1;
    nearPace = pace;
  };

  /**
   * The pace a cut on 429s learns, `known` from the last second's clean answers: no less than the
   * pace known before while the client sent under half its pace (see UNDER_SENT) within 10 s of a
   * 429 asking for over a second, and no limit is confirmed. A `Retry-After` of a second or less is
   * out within the second: the sends then are the pace, and a limit dropping from 20 to 2 req/s
   * has to be learnt from them.
   */
  const learnt = (now: number, known: number, measured: number): number =>
    !confirmedLimit() && now - longAskAt < BEST_LATENCY_WINDOW_MS && measured < UNDER_SENT * rate
      ? Math.max(known, regainTo)
      : known;

  /** Sets the pace to climb back to fast, at a cut for `cause` (see `regainTo`). */
  const learnPace = (now: number, cause: CutCause, { clean, cleanPages }: Counts, measured: number): void => {
    // Only a 429 says the clean answers of the last second are the pace the server takes: the end of
    // a 5xx burst holds one or two among the errors, which say nothing of it, and may only raise it.
    // A second cut on latency in a row means the server is slow at the pace regained: only what it
    // took since counts.
    if (cause === 'throttled') {
      // Within a second of the first answer, the clean answers are those of a part of a second (a
      // window the server may share with the run before, too): the server takes at least as many.
      provisional = partialWindow(now);
      const known = provisional ? clean : Math.max(REGAIN_SHARE * clean, clean - REGAIN_MARGIN);
      regainTo = clean > 0 ? learnt(now, known, measured) : regainTo;
      noteThrottledCut(regainTo);
    } else if (cause === 'failing') {
      // The token request's answer is no page: at an outage from the first second it was the only
      // clean answer, and 1 req/s learnt from it held the pace there 30 s after (review R-PACE2 F3).
      regainTo = Math.max(regainTo, cleanPages);
    } else regainTo = lastCutOnLatency ? peakClean : Math.max(regainTo, peakClean);
    lastCutOnLatency = cause === 'slow';
    // A server queueing us is at its capacity: the pace is no floor to probe fast past any more.
    if (cause === 'slow') provisional = false;
    regainTo = Math.min(ceiling, regainTo);
  };

  /**
   * The pace a cut is from. A stall of the answers stalls the sending too: a cut is never from
   * below the pace known. With nothing sent lately and no pace yet (unpaced: Infinity), it starts
   * from the pace known or the answers of the last second, so that it paces at all.
   */
  const cutFrom = (measured: number): number =>
    measured > 0
      ? Math.min(rate, Math.max(measured, regainTo))
      : Number.isFinite(rate)
        ? rate
        : Math.max(regainTo, answers.length, 1);

  const cut = (now: number, cause: CutCause): void => {
    const measured = sentRate(now);
    const counts = countAnswers(now);
    const { clean } = counts;
    learnPace(now, cause, counts, measured);
    const base = cutFrom(measured);
    // After 429s the pace is no more than the share of what the server took: a cut of 0.8x the
    // pace sent took eight rounds from 6.4 req/s to a 1 req/s limit, each refused in turn.
    // Only once a limit is confirmed: random 429s at a low pace left 0-3 clean answers a second,
    // and a pace capped at 0.9x them never rose from 1 req/s (review R-PACE3 F1).
    const capped = cause === 'throttled' && clean > 0 && confirmedLimit();
    const taken = capped ? regainTo : Number.POSITIVE_INFINITY;
    if (cause === 'throttled') refusedPace = base;
    rate = Math.max(floor, Math.min(base * DECREASE, taken));
    peakClean = 0;
    lastCutAt = now;
    lastCutThrottled = cause === 'throttled';
    // Slots handed out at the old pace are taken again (see acquire), after the last one sent.
    nextSlot = Math.max(now, lastSlot + 1000 / rate);
    epoch++;
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
    const probe =
      PROBE_SHARE_PER_S * regainTo * Math.min(1, regainTo / SMALL_PACE) +
      CLOSE_PER_S * Math.max(0, refusedPace - rate) +
      PROBE_GROWTH_PER_S * Math.max(0, rate - PLATEAU * Math.max(refusedPace, regainTo));
    const perSecond =
      regainTo > 0 ? (confirmedLimit() ? probe : Math.max(UNCONFIRMED_PROBE_PER_S, probe)) : INCREASE_PER_S;
    const provisionalStep = Math.max(
      PROVISIONAL_PER_ANSWER * Math.min(1, rate / SMALL_PACE),
      UNCONFIRMED_PROBE_PER_S / rate,
    );
    const next =
      rate < regainTo
        ? Math.min(regainTo, rate + REGAIN_PER_ANSWER)
        : rate + (provisional ? provisionalStep : perSecond / rate);
    rate = Math.min(ceiling, next);
  };

  /**
   * Sustained pushback with a `Retry-After` holds every request for it: the other workers went on
   * at the pace just refused and met the same refusals (review R-PACE F1, F4). An isolated one
   * holds only its own request (a flaky backend's random 429 says nothing of the pace).
   */
  const holdFor = (now: number, outcome: RequestOutcome): void => {
    const askedMs = outcome.retryAfterMs;
    if (askedMs === undefined || askedMs <= MIN_HOLD_MS) return;
    hold.refused(now, outcome.sentAt, askedMs);
    heldUntil = hold.until();
  };

  /** Pushback cuts (and may hold every request) once sustained. */
  const onPushback = (now: number, outcome: RequestOutcome, sustained: boolean): void => {
    if (!sustained) return;
    // Captured before the cut spends this round's pushback.
    const share = pushbackShare;
    cut(now, pushbackCause(outcome));
    if (outcome.status !== 429 || confirmedLimit() || share >= HOLD_SHARE) holdFor(now, outcome);
  };

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      // A cut (or a hold) while this request waited for its slot re-spaces it: slots handed out at
      // the pace just refused were each refused in turn, and each refusal cut again, down to 0.7x
      // a 1 req/s limit with 8 workers queued.
      for (;;) {
        const now = clock.now();
        trimSent(now);
        const slot = Math.max(now, nextSlot, hold.until());
        nextSlot = slot + 1000 / rate;
        const waitMs = Math.ceil(slot - now);
        const reservedIn = epoch;
        if (waitMs > 0) await sleep(waitMs, signal);
        if (epoch === reservedIn || waitMs <= 0) {
          sent.push(slot);
          notePace(slot);
          lastSlot = Math.max(lastSlot, slot);
          return;
        }
      }
    },
    record(outcome) {
      const now = clock.now();
      firstAnswerAt = Math.min(firstAnswerAt, now);
      const pushback = isPushback(outcome);
      if (pushback) noteRefusal(now, outcome);
      else noteAnswered(now);
      const judged = outcome.judgeLatency !== false;
      const slow = !pushback && judged && judgeSlow(now, outcome);
      const sustained = noteAnswer(now, outcome, !pushback && !slow);
      if (pushback) return onPushback(now, outcome, sustained);
      if (slow) {
        if (outcome.sentAt >= lastCutAt && !overtaken(now, outcome.sentAt, outcome.size)) cut(now, 'slow');
        return;
      }
      if (judged) noteBaseline(now, outcome.sentAt, outcome.size);
      grow();
    },
    rate: () => rate,
    heldMs: () => Math.max(0, hold.until() - clock.now()),
    lastAnsweredAt: () => lastAnsweredAt,
  };
}
