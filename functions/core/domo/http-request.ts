import type * as z from 'zod';
import { errorMessage } from '../error-message.ts';
import type { Clock, Sleep } from '../ports.ts';
import { type BackoffPolicy, parseRetryAfter, type RetryDelay, retryDelay } from './backoff.ts';
import {
  type BodyLimits,
  type BodyRead,
  DEFAULT_BODY_LIMITS,
  type ResponseBody,
  readBoundedBody,
} from './bounded-body.ts';
import { describeErrorResponse, oneLine } from './error-detail.ts';
import { DomoConfigError, DomoUnavailableError } from './errors.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** The part of `fetch` the client uses; the global `fetch` fits, and so does a test fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Reported before every retry, for metrics and logs. Carries no header, body or secret. */
export interface RetryEvent {
  /** Which request, e.g. `GET /v1/audit`. */
  request: string;
  /** The attempt that failed, counted from 1. */
  attempt: number;
  /** HTTP status; absent for timeouts and network errors. */
  status?: number;
  /** What went wrong, one line. */
  reason: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /** What the server asked for in `Retry-After`, when it did. */
  retryAfterMs?: number;
}

/** What every request of one client shares. */
export interface HttpDeps {
  fetch: FetchLike;
  limiter: RateLimiter;
  clock: Clock;
  /** The clock the limiter paces by (default `clock`): send times and latencies it learns from. */
  pacingClock?: Clock;
  sleep: Sleep;
  backoff: BackoffPolicy;
  requestTimeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /**
   * When set, throttling answers (429, a 403 that says it is a rate limit) do not use up
   * `maxAttempts`: a request keeps retrying them for up to this long from its first attempt (and
   * within its deadline). A slower pace passes what a faster one was refused, and the shared pacer
   * slows for every request: six refusals in a row said nothing of the server's health, and they
   * stopped runs against a server allowing 1-2 req/s (review R-PACE F1). Default: they count.
   */
  throttledForMs?: number;
  /**
   * A request whose last failure was an answer of the server's (408, 5xx) gives up on its attempts
   * only once this long has passed since its first: an outage of a few seconds (a deploy, a
   * failover) outlasted six attempts of jittered backoff, ~7.75 s on average (review R-PACE F3).
   * Default 0: its attempts alone bound it.
   */
  minRetryWindowMs?: number;
  /**
   * Longest one request given a {@link Deadline} may take (see {@link requestLimitMs}); default
   * its own retry schedule at its longest, {@link scheduleMs}.
   */
  requestDeadlineMs?: number;
  userAgent: string;
  /** Caps on each response body; default {@link DEFAULT_BODY_LIMITS}. */
  bodyLimits?: BodyLimits;
  /** Applied to every piece of server- or network-supplied text before it reaches a message. */
  scrub: (text: string) => string;
  onRetry?: (event: RetryEvent) => void;
  /**
   * What a given-up request tells the reader to check when Domo's address may be wrong: default
   * {@link DOMO_ADDRESS}; the CLI names its flag (`--api-base`), which the reader can change.
   */
  addressName?: string;
}

/** One logical request; `sendRequest` may send it several times. */
export interface HttpRequest<T> {
  /** Names the request in messages, e.g. `GET /v1/audit`; never holds a secret. */
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /**
   * Headers decided again before every attempt, on top of `headers`: a bearer token read once
   * could expire during the backoff between attempts, and a retry must carry a valid one. Given
   * the attempt's options, its deadline included: a token asked for by a retry has only the time
   * the request has left, so the token endpoint's retries are not run in full inside each retry.
   */
  authorize?: (options: SendOptions) => Promise<Record<string, string>>;
  body?: string;
  /**
   * Caps on this request's answer, tighter than the client's (each cap the smaller of the two):
   * the token endpoint's answer is a few hundred bytes, not a page.
   */
  bodyLimits?: BodyLimits;
  /**
   * Reads a 2xx body; a body it turns down is broken and is retried (see {@link jsonBody}). Given
   * the status too: a 204 No Content says by its status what its empty body cannot.
   */
  decode: (body: ResponseBody, status: number) => Decoded<T>;
  /**
   * Whether messages may quote the body: the start of a broken 2xx body, the message of an error
   * body. False for the token endpoint, whose answers may hold a token or echo the credentials:
   * its errors say only the status, the reason and the trace id.
   */
  quoteBody?: boolean;
  /**
   * False for a request whose answer time is no measure of the API's pace (the token endpoint):
   * the pacer counts its status, not its latency (see `RequestOutcome.judgeLatency`).
   */
  judgeLatency?: boolean;
  /**
   * How large a decoded answer is (a page's bytes): the pacer judges its latency only against
   * answers about as large or larger (see `RequestOutcome.size`). A method, so that a request for
   * any `T` is still an `HttpRequest<unknown>`.
   */
  sizeOf?(value: T): number;
  /** Refusals the caller handles itself (such as 401); they come back as `{ ok: false }`. */
  handOver?: readonly number[];
  /**
   * A 2xx body past a cap comes back at once as `{ ok: false, oversized: true }` instead of being
   * retried: the caller can ask for less (the same request would only be as long again).
   */
  handOverOversized?: boolean;
  /** A 2xx body declared past the cap is read up to it, to name it (see `readBoundedBody`). */
  nameOversized?: boolean;
  /**
   * How to fix a refusal that retrying cannot cure (400, 403, 404…), for the error message. `body`
   * (scrubbed) may pick the advice, as a token endpoint's `invalid_scope` does; it is never quoted
   * where `quoteBody` is false, so the advice must not repeat it.
   */
  fix: (status: number, body: string) => string;
}

/**
 * A decoded 2xx body, or why it is broken: `reason` completes "HTTP 200 body …" (`is not JSON`);
 * `seen`, what the body was when that tells the given-up sentence more than a 200 does
 * ({@link UnreadableSeen}).
 */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string; seen?: UnreadableSeen };

/**
 * What an unreadable success was, where it says the address is not at fault: `array` a JSON array
 * of entries holding one that is not JSON and that no second answer served alike; `object` a JSON
 * object holding no entries (a gateway's message, or an answer of another API).
 */
export type UnreadableSeen = 'array' | 'object';

/**
 * Decodes a body that must be JSON matching `schema`, described in words by `expected`. `fault`,
 * when given, says what is wrong with a body the schema turns down (after a colon); it must quote
 * nothing that may be secret, as the reason reaches messages unscrubbed where `quoteBody` is false.
 */
export function jsonBody<T>(
  schema: z.ZodType<T>,
  expected: string,
  fault?: (error: z.ZodError) => string,
): (body: ResponseBody) => Decoded<T> {
  return (body) => {
    let json: unknown;
    try {
      json = JSON.parse(withoutByteOrderMark(body.text()));
    } catch {
      return { ok: false, reason: 'is not JSON' };
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, reason: `is not ${expected}${fault ? `: ${fault(parsed.error)}` : ''}` };
  };
}

/**
 * `text` without one leading byte order mark (U+FEFF): RFC 8259 lets a parser ignore it, and
 * `JSON.parse` does not, so a token answer served with one failed every run (review R-HOSTILE2 L2).
 */
export const withoutByteOrderMark = (text: string): string =>
  text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

export type HttpResult<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number; detail: string; oversized?: true; headSha256?: string };

export interface SendOptions {
  signal?: AbortSignal;
  /** The limiter's priority of the request's attempts (see `RateLimiter.acquire`). */
  priority?: number;
  /** Called once for every HTTP request actually sent. */
  onRequest?: () => void;
  /**
   * When the request must have ended, its waits for access tokens included; none: only its
   * attempts bound it. `sendRequest` moves it later by the time its attempts wait for the client's
   * own rate limiter, which is the client's choice of pace, not Domo's answer.
   */
  deadline?: Deadline;
}

/**
 * The time one logical request may take, as a point on the clock its waits run on
 * (`HttpDeps.pacingClock`, default `clock`), so it holds on virtual time as on real time. Owned by
 * the request it bounds: another (a shared token request) reads it and keeps a deadline of its own.
 */
export interface Deadline {
  /** The request it bounds, e.g. `GET /v1/audit`, for the message. */
  readonly request: string;
  /** The limit it was set from, for the message. */
  readonly limitMs: number;
  /** When it was set. */
  readonly startedAt: number;
  /** When it passes: `startedAt + limitMs + pacedMs`. */
  at: number;
  /**
   * Time left out of the limit: its attempts' waits for the client's own rate limiter, and the
   * token request of its first attempt.
   */
  pacedMs: number;
  /** Its first attempt has had its token: that token request's time is left out of the limit. */
  firstTokenLeftOut?: boolean;
}

/**
 * The longest the retry schedule of one request takes without a token to wait for: every attempt
 * to its timeout, every wait between them as long as it may be (a capped Retry-After, or the
 * backoff ceiling if larger). At the defaults, 6 x 30 s + 5 x 120 s = 780 s (13 minutes): a
 * request Domo throttles honestly (review R-DEADLINE2: Retry-After of 100 to 120 s three or four
 * times, 60 s five times) ends within it; what it cuts is what multiplies, a token request with
 * retries of its own inside each retry (review R-HOSTILE: 70 minutes for one page).
 */
export function scheduleMs(deps: Pick<HttpDeps, 'maxAttempts' | 'requestTimeoutMs' | 'backoff'>): number {
  const longestWait = Math.max(deps.backoff.maxRetryAfterMs, deps.backoff.maxDelayMs);
  return deps.maxAttempts * deps.requestTimeoutMs + (deps.maxAttempts - 1) * longestWait;
}

/** The limit of one request given a deadline: `requestDeadlineMs`, else {@link scheduleMs}. */
export const requestLimitMs = (deps: HttpDeps): number => deps.requestDeadlineMs ?? scheduleMs(deps);

/** A new deadline for a request `name` starting now: `deps`' limit from now. */
export function deadlineFor(deps: HttpDeps, name: string): Deadline {
  const limitMs = requestLimitMs(deps);
  const startedAt = timeOf(deps).now();
  return { request: name, limitMs, startedAt, at: startedAt + limitMs, pacedMs: 0 };
}

/** The clock waits run on: deadlines are measured by it (see `HttpDeps.pacingClock`). */
const timeOf = (deps: HttpDeps): Clock => deps.pacingClock ?? deps.clock;

/**
 * A request given up because its deadline would pass: `unfit` names what would not fit (a wait, a
 * token), `deadline` is the one that ran out. A request waiting for a token converts the token
 * request's into its own (its own limit, its own time passed).
 */
export class PastDeadlineError extends DomoUnavailableError {
  constructor(
    message: string,
    /** The request given up, e.g. `POST /oauth/token`. */
    override readonly request: string,
    attempts: number,
    readonly deadline: Deadline,
    readonly unfit: string,
    readonly last: Retry | undefined,
    options?: ErrorOptions,
  ) {
    super(message, attempts, last?.status, request, options);
  }
}

/** An attempt not sent: its token came past the deadline, or its token request gave up on it. */
interface Late {
  kind: 'late';
  unfit: string;
  last?: Retry;
  /** The token request's own error, kept as the request's `cause`: the token endpoint failed it. */
  cause?: PastDeadlineError;
}

type Attempt<T> =
  | { kind: 'done'; result: HttpResult<T> }
  | {
      kind: 'retry';
      status?: number;
      reason: string;
      retryAfter?: string | null;
      /** The protocol error, when what came back was not HTTP (see {@link brokenHttpCause}). */
      brokenHttp?: string;
      /** What a success that could not be read was (Decoded's `seen`). */
      seen?: UnreadableSeen;
      /** Connected, yet no answer came within the attempt's timeout (see {@link GIVEN_UP}'s `silent`). */
      timedOut?: true;
      /**
       * Timed out within a window cut by the deadline to no longer than a connect may take
       * ({@link FETCH_CONNECT_TIMEOUT_MS}): it says nothing of whether the connection was made, so
       * the sentence a request gives up with is the last other attempt's.
       */
      unjudged?: true;
    };

const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;
/** What a throttling 403 says of itself. */
const RATE_LIMIT_TEXT = /rate[ _-]?limit|too many requests|throttl/i;
/** How much of a refusal's body is read for it: error answers are short, and the scan stays linear. */
const RATE_LIMIT_SCAN_CHARS = 4096;

/**
 * Whether a 403 says it is a rate limit: in its status text or its body as a reader sees it (a
 * JSON message, whoever's; a text; a page's words, not its scripts or styles: a permission page's
 * script may name a throttle, review R-LOOKA F4), however the request quotes bodies in messages:
 * a token endpoint's throttling answer must be waited out too (review R-FINAL F1).
 */
function saysRateLimit(statusText: string, text: string): boolean {
  const head = text.slice(0, RATE_LIMIT_SCAN_CHARS);
  const words = /<[a-z!/]/i.test(head)
    ? head.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ')
    : head;
  return RATE_LIMIT_TEXT.test(`${statusText} ${words}`);
}

/**
 * Sends `request` until it succeeds, is refused, or runs out of attempts or time. Each attempt
 * waits for the shared rate limiter and has its own timeout. 429, 408, 5xx, timeouts, network
 * errors and bodies that are not the JSON expected (HTML error pages even under 200, truncated
 * JSON) are retried after a backoff; 3xx and other 4xx fail at once with {@link DomoConfigError},
 * except the statuses in `handOver`. Exhausted attempts end in {@link DomoUnavailableError}; so
 * does `options.deadline` ({@link PastDeadlineError}): no wait is begun that would end past it,
 * and an attempt's timeout is cut to what is left of it. An abort of `options.signal` ends
 * everything with the signal's reason.
 */
export async function sendRequest<T>(
  deps: HttpDeps,
  request: HttpRequest<T>,
  options: SendOptions = {},
): Promise<HttpResult<T>> {
  const { signal, deadline } = options;
  const startedAt = timeOf(deps).now();
  let last: Retry | undefined;
  /** The attempt the given-up sentence judges by: the last one but an unjudged timeout. */
  let judged: Retry | undefined;
  /** Attempts sent, and those that use up `maxAttempts` (see `throttledForMs`). */
  let sent = 0;
  let counted = 0;
  /** Attempts answered with a success whose body could not be read. */
  let unreadable = 0;
  /** Where the last failed attempt left the request: what it gives up on. */
  let at: TriesAt | undefined;
  for (;;) {
    const outcome = await pacedAttempt(deps, request, options);
    if (outcome.kind === 'done') return outcome.result;
    if (outcome.kind === 'late') {
      throw lateError(deps, request.name, sent, outcome, { last, judged }, deadline);
    }
    sent++;
    last = outcome;
    judged = judgedBy(judged, outcome);
    unreadable += Number(isSuccess(outcome.status));
    const throttled = outcome.status === 429 && deps.throttledForMs !== undefined;
    if (!throttled) counted++;
    const wait = retryWait(deps, sent - 1, outcome);
    at = { sent, counted, throttled, startedAt, wait, last: outcome };
    if (outOfTries(deps, at, deadline)) break;
    const unfit = waitPastDeadline(deps, wait, deadline);
    if (unfit !== undefined) throw pastDeadline(deps, request.name, sent, unfit, last, deadline, { judged });
    deps.onRetry?.(retryEvent(request.name, sent, outcome, wait));
    await deps.sleep(wait.delayMs, signal);
  }
  throw new DomoUnavailableError(
    `${request.name} failed after ${sent} attempt${sent === 1 ? '' : 's'}; last: ${last?.reason}. ` +
      givenUpBecause(judged, deps.addressName ?? DOMO_ADDRESS, {
        sent,
        unreadable,
        // Set: the loop is left only by the break after it is.
        refusedForMs: refusedEverything(deps, at as TriesAt),
      }) +
      longRetryAfter(last?.retryAfter, deps.clock.now(), deps.backoff.maxRetryAfterMs),
    sent,
    last?.status,
    request.name,
  );
}

/** A late attempt's error: its token request's last failure, when it has one, is what it gave up on. */
function lateError(
  deps: HttpDeps,
  name: string,
  attempts: number,
  late: Late,
  tried: { last: Retry | undefined; judged: Retry | undefined },
  deadline: Deadline | undefined,
): PastDeadlineError {
  const { last, judged } = late.last === undefined ? tried : { last: late.last, judged: late.last };
  return pastDeadline(deps, name, attempts, late.unfit, last, deadline, { judged, cause: late.cause });
}

/** The attempt a request's given-up sentence judges by: the latest, but an unjudged timeout. */
const judgedBy = (judged: Retry | undefined, latest: Retry): Retry =>
  latest.unjudged && judged !== undefined ? judged : latest;

/**
 * The wait before the retry after attempt number `retry` (0-based): the backoff's, or the hold of
 * every request for a `Retry-After` (see the pacer's createHold) when that is longer: the retry
 * would wait for it in the limiter anyway, and a wait of its own counts against its deadline.
 */
function retryWait(deps: HttpDeps, retry: number, outcome: Retry): RetryDelay {
  const wait = retryDelay(retry, outcome.retryAfter, deps.clock.now(), deps.backoff);
  const held = deps.limiter.heldMs?.() ?? 0;
  return held > wait.delayMs ? { ...wait, delayMs: held } : wait;
}

/**
 * Whether a request has no retry left after a failure: it has sent ten times its attempts (see
 * ATTEMPTS_PAST_BUDGET), or its counted attempts are used up (and, for
 * an answer of the server's, `minRetryWindowMs` has passed), or a throttled request has sent its
 * attempts and the client has had no clean answer for too long (see THROTTLED_GIVE_UP_MS), or its
 * wait would end past `throttledForMs` from its first attempt (past its deadline, when it has one:
 * that leaves out its waits for the client's own pace, as `throttledForMs` alone cannot).
 */
function outOfTries(deps: HttpDeps, at: TriesAt, deadline: Deadline | undefined): boolean {
  if (at.sent >= deps.maxAttempts * ATTEMPTS_PAST_BUDGET) return true;
  const elapsed = timeOf(deps).now() - at.startedAt;
  if (at.throttled) {
    return (
      (at.sent >= deps.maxAttempts && throttledTooLong(deps, at.startedAt, at.wait)) ||
      (!deadline && elapsed + at.wait.delayMs > (deps.throttledForMs as number))
    );
  }
  if (at.counted < deps.maxAttempts) return false;
  const answered = at.last.status === 408 || (at.last.status ?? 0) >= 500;
  const windowMs = deps.minRetryWindowMs ?? 0;
  return !answered || windowMs <= 0 || elapsed + at.wait.delayMs > windowMs;
}

type Retry = Extract<Attempt<unknown>, { kind: 'retry' }>;

/** A request after a failed attempt: its attempts, its first attempt's time, its next wait. */
interface TriesAt {
  sent: number;
  counted: number;
  throttled: boolean;
  startedAt: number;
  wait: RetryDelay;
  last: Retry;
}

/**
 * A throttled request that has sent its attempts gives up once its next wait would end this long
 * after the last clean answer (anything but pushback) any request of the client had, or after its
 * own first attempt if that is later: every wait counts, whoever set it (the pace the 429s cut to,
 * a backoff, a hold, a `Retry-After`). Counting only the waits for the pace and the backoffs the
 * server did not ask for, a server answering 429 with `Retry-After: 30` to everything held a run
 * 945 s, over a Lambda's 15 minutes, and one asking for 1 s ran 173-183 s (review R-PACE3 F2). A
 * slow limit answers some requests cleanly every few seconds, so a run held to it goes on; a page
 * Domo throttles honestly, with a `Retry-After` of up to 2 minutes, still has its attempts (as
 * before any pacer: 4 x 120 s then the page, review R-DEADLINE2), within its deadline.
 */
const THROTTLED_GIVE_UP_MS = 150_000;

/**
 * How long no request of the client had a clean answer, when a throttled request gave up on that
 * ({@link throttledTooLong}); else undefined. Every request refused for minutes, each retry after
 * the wait Domo asked for, is Domo's state (an outage answered with 429s), not this client's pace.
 */
function refusedEverything(deps: HttpDeps, at: TriesAt): number | undefined {
  if (!(at.throttled && at.sent >= deps.maxAttempts && throttledTooLong(deps, at.startedAt, at.wait)))
    return undefined;
  const since = Math.max(at.startedAt, deps.limiter.lastAnsweredAt?.() ?? Number.NEGATIVE_INFINITY);
  return timeOf(deps).now() - since;
}

function throttledTooLong(deps: HttpDeps, startedAt: number, wait: RetryDelay): boolean {
  const since = Math.max(startedAt, deps.limiter.lastAnsweredAt?.() ?? Number.NEGATIVE_INFINITY);
  return timeOf(deps).now() + wait.delayMs - since > THROTTLED_GIVE_UP_MS;
}

/**
 * However much time is left, a request ends after this many times its attempts: the time budgets
 * of throttling and of 5xx answers (`throttledForMs`, `minRetryWindowMs`) never end on a clock that
 * does not move (a run's tests whose sleeps return at once), and a request looped for good there.
 */
const ATTEMPTS_PAST_BUDGET = 10;

function retryEvent(request: string, attempt: number, outcome: Retry, wait: RetryDelay): RetryEvent {
  return {
    request,
    attempt,
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
    reason: outcome.reason,
    delayMs: wait.delayMs,
    ...(wait.retryAfterMs === undefined ? {} : { retryAfterMs: wait.retryAfterMs }),
  };
}

/**
 * What does not fit when `wait` would end past `deadline`, else undefined: a wait that leaves no
 * attempt after it is given up now, not at its end.
 */
function waitPastDeadline(
  deps: HttpDeps,
  wait: RetryDelay,
  deadline: Deadline | undefined,
): string | undefined {
  if (!deadline || timeOf(deps).now() + wait.delayMs <= deadline.at) return undefined;
  const why = wait.retryAfterMs === undefined ? 'backoff' : 'Retry-After';
  return `the wait of ${duration(wait.delayMs)} before its next attempt (${why}) would end`;
}

/** `780 s`; below a second, where whole seconds said `0 s` (a limit of 500 ms), `500 ms`. */
const duration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000).toLocaleString('en-US')} s`;

/** "2 of its 6 attempts"; past them (throttling answers do not use them up), "9 attempts". */
const attemptsOf = (deps: HttpDeps, attempts: number): string =>
  attempts > deps.maxAttempts
    ? `${attempts} attempts (throttled ones not counted in its ${deps.maxAttempts})`
    : `${attempts} of its ${deps.maxAttempts} attempts`;

/**
 * The error of a request whose deadline would pass: what would not fit, its own attempts, its
 * limit and how much of it had passed (its own time: a page's, not a token request's it shared),
 * then the advice of its last failure that says where it failed (`judged`: a timeout cut short
 * says nothing), as a request out of attempts gives it. It quotes only what the
 * retry reasons already do (scrubbed), and names no setting: core messages are the CLI's too.
 */
function pastDeadline(
  deps: HttpDeps,
  name: string,
  attempts: number,
  unfit: string,
  last: Retry | undefined,
  deadline: Deadline | undefined,
  { judged, cause }: { judged: Retry | undefined; cause?: unknown } = { judged: last },
): PastDeadlineError {
  // Only called with a deadline: an attempt is late, or a wait does not fit, against one.
  const { limitMs, startedAt, pacedMs } = deadline as Deadline;
  const passed = timeOf(deps).now() - startedAt - pacedMs;
  const head =
    `${name} gave up after ${attemptsOf(deps, attempts)}: ${unfit} past the ` +
    `${duration(limitMs)} one ${name} request may take (its attempts, the waits between them and ` +
    'the access token requests of its retries; not its first token, nor its waits for this ' +
    `client's own rate limit), ${duration(passed)} ` +
    'of which had passed';
  const tail =
    last === undefined
      ? `. ${GIVEN_UP.outOfTime}`
      : `; last: ${last.reason}. ${givenUpBecause(judged, deps.addressName ?? DOMO_ADDRESS)}` +
        longRetryAfter(last.retryAfter, deps.clock.now(), deps.backoff.maxRetryAfterMs);
  return new PastDeadlineError(
    head + tail,
    name,
    attempts,
    deadline as Deadline,
    unfit,
    last,
    cause === undefined ? undefined : { cause },
  );
}

/** How the sentences of {@link GIVEN_UP} name Domo's address where no caller names it better. */
export const DOMO_ADDRESS = 'its address';

/**
 * The sentence that ends a request given up after its retries; `address` names what to check
 * ({@link HttpDeps.addressName}). Callers that add advice of their own (the CLI's
 * --requests-per-second) recognise the case by it; failures reach them as text.
 */
export const GIVEN_UP = {
  unreachable: (address: string) =>
    `Domo could not be reached: check ${address} and the network, or try again later.`,
  /** `code` is the protocol error's. */
  brokenHttp: (code: string, address: string) =>
    `Domo (or a proxy in front of it) answered with broken HTTP (${code}): check ${address}, or try again later.`,
  throttled: 'Domo is throttling this client: try again later.',
  /**
   * A throttled request given up after `ms` in which no request of the client had an answer but a
   * 429: Domo refused everything, as in an outage, and a slower pace would not have helped (the
   * command line offered --requests-per-second for it, helper OUTAGE).
   */
  throttledAll: (ms: number) =>
    `Domo is throttling this client, answering every request with 429 for ${duration(ms)}: a slower pace would not help, try again later.`,
  unavailable: 'Domo is unavailable: try again later.',
  /**
   * Every attempt, the last at least, timed out with the connection made (a refused or unknown
   * address fails sooner, with a network error's code): something listens there and says nothing,
   * as Domo does when it hangs in an outage. Said as unreachable, it sent the on-call engineer to
   * check the address and the network (helper OUTAGE, a rehearsed hang).
   */
  silent: 'Domo did not answer in time: it is down or overloaded, try again later.',
  /** Follows a Retry-After longer than a retry waits (see `longRetryAfter`). */
  longWait: 'run again after that time.',
  /** A request whose time ran out with no failed answer to blame: the time went to its token. */
  outOfTime: 'Domo or its token endpoint answered too slowly: try again later.',
  /** Every attempt was answered with a success whose body is not what the API returns. */
  unreadable: (address: string) =>
    `Domo's answers could not be read: check ${address} (an address that is not Domo's API, such as an instance's web address, answers pages like these), or try again later.`,
  /** The last answer was a JSON array of entries, one of them not JSON and not served alike twice. */
  unreadableEntry:
    "Domo's answers could not be read: they were JSON arrays of entries, as Domo's API answers, but an entry in them was not JSON and not served the same way twice (a fault on the way, such as a proxy or the network, or in Domo); none was kept: try again later, and if it lasts, tell Domo's support.",
  /** The last answer was a JSON object holding no entries. */
  unreadableObject: (address: string) =>
    `Domo's answers could not be read: they were a JSON object holding no entries, not the JSON array of entries the Activity Log API answers: a message of a gateway or proxy in front of Domo, or an address that is not the Activity Log API's: check ${address}, or try again later.`,
} as const;

/**
 * The sentence naming a wait Domo asked for (Retry-After) beyond the longest a retry waits: each
 * retry waited only `capMs`, so the reader learns why pacing the client slower cannot help and
 * when Domo said to come back. Empty when it asked for no such wait.
 */
function longRetryAfter(header: string | null | undefined, nowMs: number, capMs: number): string {
  const askedMs = parseRetryAfter(header, nowMs);
  if (askedMs === undefined || askedMs <= capMs) return '';
  return ` Domo asked to wait ${Math.ceil(askedMs / 1000).toLocaleString('en-US')} s before trying again (Retry-After), each retry waited ${Math.round(capMs / 1000)} s at most: ${GIVEN_UP.longWait}`;
}

/**
 * What the last failed attempt says about Domo, by its status: no answer at all (an unknown host,
 * a refused connection, a timeout) points at the address or the network rather than at Domo; an
 * answer that was not HTTP came from something that was reached.
 */
function givenUpBecause(
  last: { status?: number; brokenHttp?: string; seen?: UnreadableSeen; timedOut?: true } | undefined,
  address: string,
  mix?: { sent: number; unreadable: number; refusedForMs?: number | undefined },
): string {
  if (mix?.refusedForMs !== undefined) return GIVEN_UP.throttledAll(mix.refusedForMs);
  // Mostly 5xx and resets, ending on a body cut off: Domo's API, broken, not a wrong address
  // (review R-ONCALL M2: the last attempt alone sent the on-call engineer to check the address).
  if (mix !== undefined && mix.unreadable < mix.sent && isSuccess(last?.status))
    return `${GIVEN_UP.unavailable.replace(': try again later.', '')} (${mix.sent - mix.unreadable} of ${mix.sent} attempts failed, the others were answers cut off or unreadable): try again later.`;
  if (last?.brokenHttp !== undefined) return GIVEN_UP.brokenHttp(last.brokenHttp, address);
  if (last?.timedOut) return GIVEN_UP.silent;
  if (last?.status === undefined) return GIVEN_UP.unreachable(address);
  if (last.status === 429) return GIVEN_UP.throttled;
  // A success that could not be read is what a wrong address answers (a web page, a login form),
  // not the sign of an outage that waiting would end.
  return isSuccess(last.status) ? unreadableBecause(last.seen, address) : GIVEN_UP.unavailable;
}

/** The given-up sentence of a success that could not be read, by what it was: it says what was seen. */
function unreadableBecause(seen: UnreadableSeen | undefined, address: string): string {
  if (seen === 'array') return GIVEN_UP.unreadableEntry;
  if (seen === 'object') return GIVEN_UP.unreadableObject(address);
  return GIVEN_UP.unreadable(address);
}

const isSuccess = (status: number | undefined): boolean =>
  status !== undefined && status >= 200 && status < 300;

/**
 * One attempt: authorised, paced by the shared limiter, and its answer recorded with it. `late`
 * when its token came past the deadline, or its token request gave up on the time it had; its
 * wait for the limiter moves the deadline later, and its timeout is cut to what is left.
 */
async function pacedAttempt<T>(
  deps: HttpDeps,
  request: HttpRequest<T>,
  options: SendOptions,
): Promise<Attempt<T> | Late> {
  const { deadline } = options;
  const pacing = timeOf(deps);
  const authorizing = pacing.now();
  const authorization = await authorized(request, options);
  if (authorization.kind === 'late') return authorization;
  if (deadline && !deadline.firstTokenLeftOut) leaveOutFirstToken(deadline, pacing.now() - authorizing);
  const paced = pacing.now();
  await deps.limiter.acquire(options.signal, options.priority);
  const sentAt = pacing.now();
  let timeoutMs = deps.requestTimeoutMs;
  if (deadline) {
    // The limiter's wait is the client's own pace, not Domo's answer: left out of the limit.
    deadline.pacedMs += sentAt - paced;
    deadline.at += sentAt - paced;
    if (sentAt >= deadline.at) return { kind: 'late', unfit: 'its access token came' };
    timeoutMs = Math.min(timeoutMs, Math.ceil(deadline.at - sentAt));
  }
  options.onRequest?.();
  const outcome = await attemptOnce(deps, request, authorization.headers, options.signal, timeoutMs);
  const status = outcome.kind === 'done' ? outcome.result.status : outcome.status;
  const retryAfterMs =
    outcome.kind === 'retry' ? parseRetryAfter(outcome.retryAfter, deps.clock.now()) : undefined;
  // A refusal handed over (a 401, a body past its cap) has no page size to judge its time by:
  // judged against all sizes, a body cut at 8 MiB after quick pages cut the pace (review R-PS).
  const unjudged = request.judgeLatency === false || (outcome.kind === 'done' && !outcome.result.ok);
  deps.limiter.record?.({
    ...(status === undefined ? {} : { status }),
    sentAt,
    latencyMs: pacing.now() - sentAt,
    ...(unjudged ? { judgeLatency: false } : {}),
    ...(request.sizeOf && outcome.kind === 'done' && outcome.result.ok
      ? { size: request.sizeOf(outcome.result.value) }
      : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  return outcome;
}

/**
 * The page's first token is one token request whatever its retries do, and a throttled token
 * endpoint then took time the page's own honest throttling needed (review R-DEADLINE3: token 120 s
 * x3 and page 120 s x4 failed at 720 s): left out of the limit, as the limiter's waits are. The
 * token requests of its retries, which multiply, stay in.
 */
function leaveOutFirstToken(deadline: Deadline, tookMs: number): void {
  deadline.firstTokenLeftOut = true;
  deadline.pacedMs += tookMs;
  deadline.at += tookMs;
}

/**
 * The attempt's headers from `request.authorize`; `late` when its token request gave up on its
 * shared deadline: the request's own error, on its own deadline, names the wait that did not fit.
 */
async function authorized(
  request: HttpRequest<unknown>,
  options: SendOptions,
): Promise<{ kind: 'authorized'; headers: Record<string, string> } | Late> {
  try {
    return { kind: 'authorized', headers: request.authorize ? await request.authorize(options) : {} };
  } catch (error) {
    const { deadline } = options;
    if (!(deadline && error instanceof PastDeadlineError && error.deadline !== deadline)) throw error;
    const tried = `${error.attempts} attempt${error.attempts === 1 ? '' : 's'}`;
    const unfit = `its access token request (${error.request}, after ${tried}): ${error.unfit}`;
    return { kind: 'late', unfit, cause: error, ...(error.last ? { last: error.last } : {}) };
  }
}

/**
 * How long Node's fetch (undici) takes to give up a connection (DNS, TCP, TLS) with its own error,
 * `UND_ERR_CONNECT_TIMEOUT`, a network error: an attempt timed out after longer was connected, and
 * Domo said nothing. One cut shorter by the deadline may have timed out still connecting (a route
 * or firewall that drops the packets, a NAT gateway down): a blackholed run's earlier attempts
 * ended with that code, and its last, cut to 4 s, blamed Domo (review REVIEW88C). An attempt of
 * the whole configured timeout is judged as connected (30 s by default; a test's shorter one).
 */
const FETCH_CONNECT_TIMEOUT_MS = 10_000;

/** An attempt that timed out: connected ({@link FETCH_CONNECT_TIMEOUT_MS}), or unjudged. */
function timedOutAttempt<T>(deps: HttpDeps, timeoutMs: number, reason: string): Attempt<T> {
  const connected = timeoutMs > FETCH_CONNECT_TIMEOUT_MS || timeoutMs >= deps.requestTimeoutMs;
  return { kind: 'retry', reason, ...(connected ? { timedOut: true } : { unjudged: true }) };
}

async function attemptOnce<T>(
  deps: HttpDeps,
  request: HttpRequest<T>,
  authorization: Record<string, string>,
  outer: AbortSignal | undefined,
  timeoutMs: number,
): Promise<Attempt<T>> {
  const timeout = new AbortController();
  // A request's timeout is real time by design (the server's silence is real), not the injected
  // Sleep that backoff and pacing waits use.
  // biome-ignore lint/style/noRestrictedGlobals: the request timeout is real time.
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
  const timedOut = `no answer within ${timeoutMs} ms`;
  try {
    let response: Response;
    try {
      response = await deps.fetch(request.url, {
        method: request.method,
        headers: { 'User-Agent': deps.userAgent, ...request.headers, ...authorization },
        ...(request.body === undefined ? {} : { body: request.body }),
        // A redirect means apiBase is wrong; following it could carry the credentials elsewhere.
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      if (timeout.signal.aborted) return timedOutAttempt(deps, timeoutMs, timedOut);
      return failedFetch(deps, error);
    }
    const { status } = response;
    let body: BodyRead;
    try {
      body = await readBoundedBody(response, limitsOf(deps, request), request.nameOversized);
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      const why = timeout.signal.aborted ? timedOut : networkCause(deps, error);
      return { kind: 'retry', status, reason: `HTTP ${status} body cut off (${why})` };
    }
    if (!body.ok) return oversized(request, status, body);
    return classify(deps, request, response, body.body);
  } finally {
    clearTimeout(timer);
  }
}

/** The caps on `request`'s answer: the client's, each cut to the request's own where it has one. */
function limitsOf(deps: HttpDeps, request: HttpRequest<unknown>): BodyLimits {
  const client = deps.bodyLimits ?? DEFAULT_BODY_LIMITS;
  const own = request.bodyLimits;
  if (!own) return client;
  // Named as the request's cap only where it is the one that applies.
  const tighter = own.maxWireBytes <= client.maxWireBytes && own.maxBodyBytes <= client.maxBodyBytes;
  return {
    maxWireBytes: Math.min(client.maxWireBytes, own.maxWireBytes),
    maxBodyBytes: Math.min(client.maxBodyBytes, own.maxBodyBytes),
    ...(tighter && own.name !== undefined ? { name: own.name } : {}),
  };
}

/** A fetch that threw without an answer to read: broken HTTP, or a network error. */
function failedFetch<T>(deps: HttpDeps, error: unknown): Attempt<T> {
  const brokenHttp = brokenHttpCause(error);
  if (brokenHttp !== undefined)
    return { kind: 'retry', reason: `broken HTTP answer (${brokenHttp})`, brokenHttp };
  return { kind: 'retry', reason: `network error (${networkCause(deps, error)})` };
}

/** A 2xx body past a cap: a broken answer to retry, or handed over to a caller that asks for less. */
function oversized<T>(
  request: HttpRequest<T>,
  status: number,
  { reason, headSha256 }: Extract<BodyRead, { ok: false }>,
): Attempt<T> {
  const detail = `HTTP ${status} body ${reason}`;
  if (request.handOverOversized) {
    const head = headSha256 === undefined ? {} : { headSha256 };
    return { kind: 'done', result: { ok: false, status, detail, oversized: true, ...head } };
  }
  return { kind: 'retry', status, reason: detail };
}

function classify<T>(
  deps: HttpDeps,
  request: HttpRequest<T>,
  response: Response,
  body: ResponseBody,
): Attempt<T> {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const decoded = request.decode(body, status);
    if (!decoded.ok) {
      return {
        kind: 'retry',
        status,
        reason: `HTTP ${status} body ${decoded.reason} (${snippet(deps, request, body.text())})`,
        ...(decoded.seen === undefined ? {} : { seen: decoded.seen }),
      };
    }
    return { kind: 'done', result: { ok: true, status, value: decoded.value } };
  }
  const text = body.text();
  // Scrubbed before it is read, as each field is decoded (before it is shortened), and after.
  const detail = deps.scrub(
    describeErrorResponse(
      status,
      deps.scrub(response.statusText),
      deps.scrub(text),
      request.quoteBody !== false,
      deps.scrub,
    ),
  );
  if (RETRYABLE_STATUS(status)) {
    return { kind: 'retry', status, reason: detail, retryAfter: response.headers.get('retry-after') };
  }
  // Some APIs throttle with a 403 that says so ("API Rate limit reached."): taken for a 429 (and
  // paced as one), it is waited out; taken for a refusal, it failed every hour in flight as a
  // missing scope (review R-SIM F8, the paged campaign).
  if (status === 403 && saysRateLimit(response.statusText, text)) {
    return { kind: 'retry', status: 429, reason: detail, retryAfter: response.headers.get('retry-after') };
  }
  if (request.handOver?.includes(status)) return { kind: 'done', result: { ok: false, status, detail } };
  if (status >= 300 && status < 400) {
    const location = oneLine(deps.scrub(response.headers.get('location') ?? 'an unnamed location'), 200);
    throw new DomoConfigError(
      `${request.name} was redirected (HTTP ${status}) to ${location}: set ${deps.addressName ?? 'apiBase'} to the Domo API's own address ` +
        '(https://api.domo.com).',
      status,
    );
  }
  throw new DomoConfigError(
    `${request.name} failed: ${detail}. ${request.fix(status, deps.scrub(text))}`,
    status,
  );
}

/**
 * A success's body that could not be read, said by its structure only: its size and what it looks
 * like. Quoted, the start of a page cut off was the activity log itself (an event, a user's name,
 * an address) in every log line, the failure queue and the run record (review R-ONCALL M2).
 */
function snippet(_deps: HttpDeps, request: HttpRequest<unknown>, text: string): string {
  if (!text.trim()) return 'empty';
  if (request.quoteBody === false) return `${text.length} characters`;
  return `${Buffer.byteLength(text).toLocaleString('en-US')} bytes, ${shapeOf(text.trimStart())}`;
}

/** What a body looks like, from its first character: no word of its content. */
function shapeOf(head: string): string {
  if (head.startsWith('[')) return 'a JSON array';
  if (head.startsWith('{')) return 'a JSON object';
  if (head.startsWith('<')) return 'markup, such as an HTML page';
  return 'text';
}

/**
 * undici errors about time, the connection, or the request this client made: none of them says the
 * server answered something that was not HTTP.
 */
const NOT_PROTOCOL_ERRORS = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

/**
 * The protocol error of a fetch failure, when the server (or a proxy) answered but not with HTTP:
 * llhttp's parse errors (`HPE_*`), undici's other errors (`UND_ERR_SOCKET` for an unsolicited
 * `100 Continue`), and the code-less "too many content-encodings". Worded as unreachable, these
 * sent the reader to check the network. A socket closed before a byte came back (nothing
 * listening behind a published port or a tunnel, a firewall) is no answer: it stays unreachable.
 */
function brokenHttpCause(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  const { code, socket } = (cause ?? {}) as { code?: unknown; socket?: { bytesRead?: unknown } };
  if (typeof code === 'string') {
    if (code === 'UND_ERR_SOCKET' && socket?.bytesRead === 0) return undefined;
    const protocol =
      code.startsWith('HPE_') || (code.startsWith('UND_ERR_') && !NOT_PROTOCOL_ERRORS.has(code));
    return protocol ? code : undefined;
  }
  const message = cause instanceof Error ? cause.message : '';
  // Node 24's undici (the Lambdas' runtime) leaves llhttp's code out of its parse errors: the
  // error's class still says the answer was not HTTP, and its message why.
  if (cause instanceof Error && cause.name === 'HTTPParserError') return parserReason(message);
  return message.startsWith('too many content-encodings') ? 'too many content-encodings' : undefined;
}

/**
 * llhttp's reason, from undici's "Response does not match the HTTP/1.1 protocol (<reason>)": a
 * fixed text of the parser's (`Invalid character in Content-Length`), never the answer's bytes;
 * kept to plain words all the same, as it is quoted in logs and errors.
 */
function parserReason(message: string): string {
  const reason = /\(([^()]*)\)\s*$/
    .exec(message)?.[1]
    ?.replace(/[^\w ,./-]/g, '')
    .trim();
  return reason ? `HTTP parser: ${oneLine(reason, 80)}` : 'HTTP parser error';
}

/** The most telling short name of a fetch failure: undici hides the socket error in `cause`. */
function networkCause(deps: HttpDeps, error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const message = cause instanceof Error ? cause.message : errorMessage(error);
  return oneLine(deps.scrub(message), 120);
}
