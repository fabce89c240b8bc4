import type { FetchLike, RetryEvent } from '../core/domo/http-request.ts';
import { formatEta } from './progress.ts';

/** A wait shorter than this is the client's routine (a retry half a second on): not said. */
const SAY_WAIT_FROM_MS = 5_000;
/** Retries for this long (short waits each) are said all the same: the run is not moving. */
const SAY_RETRYING_FROM_MS = 10_000;
/** A spell of retries ends once none came for this long. */
const SPELL_ENDS_AFTER_MS = 30_000;
/** A request unanswered this long is said: Domo may hang up to the request timeout (30 s). */
const SAY_SILENCE_FROM_MS = 20_000;
/** At most one line per this long: a run throttled for an hour must not flood its log. */
const LINE_EVERY_MS = 20_000;
/** How often the silence is looked at. */
const CHECK_EVERY_MS = 5_000;

/** The hours a run has read, for the end of each line. */
interface HoursRead {
  windowsDone: number;
  windowsPlanned: number;
}

/**
 * Says, one line at a time and at most one per {@link LINE_EVERY_MS}, that an ingest waits on
 * Domo: a retry's wait (429, 5xx, a timeout), and requests left unanswered. Without it a run that
 * is not --verbose printed nothing while Domo throttled it or hung for minutes, and the operator
 * could not tell a slow API from a stuck tool. It hears the client's own retry events (those
 * --verbose logs one by one) and the requests its fetch sends, so the two never say different things.
 */
export interface WaitingNotice {
  /** The client's `onRetry`. */
  retried(event: RetryEvent): void;
  /** The client's fetch, watched for requests that go unanswered. */
  watched(fetch: FetchLike): FetchLike;
  progressed(hours: HoursRead): void;
  /** Looks at unanswered requests now: what the timer of {@link WaitingNotice.show} calls. */
  check(): void;
  /** Starts saying lines through `say`, and the timer that looks for silence; returns its stop. */
  show(say: (line: string) => void, everyMs?: number): () => void;
}

const statusText = (status: number): string =>
  status === 429 ? '429 (rate limited)' : status === 403 ? '403 (rate limited)' : String(status);

/** What a retry waits on, from what the client's event says. */
function retryCause(event: RetryEvent): string {
  if (event.status === undefined) return `Domo did not answer (${event.reason})`;
  return `Domo answers ${statusText(event.status)}`;
}

export function waitingNotice(now: () => number): WaitingNotice {
  let say: ((line: string) => void) | undefined;
  let hours: HoursRead | undefined;
  let lastLineAt = Number.NEGATIVE_INFINITY;
  let spellStart: number | undefined;
  let lastRetryAt = Number.NEGATIVE_INFINITY;
  /**
   * When Domo went quiet: when the first request after its last answer was sent. A timeout or a
   * network error is no answer, so it leaves this where it is; counting from it said "25 s" at
   * each retry while Domo had been silent for minutes.
   */
  let silentSince: number | undefined;
  /** Requests sent and not yet answered. */
  let waiting = 0;

  const line = (text: string): void => {
    const at = now();
    if (say === undefined || at - lastLineAt < LINE_EVERY_MS) return;
    lastLineAt = at;
    const read = hours === undefined ? '' : `; ${hours.windowsDone} of ${hours.windowsPlanned} hours read`;
    say(`${text}${read}`);
  };

  const check = (): void => {
    if (waiting === 0 || silentSince === undefined) return;
    const silentFor = now() - silentSince;
    if (silentFor < SAY_SILENCE_FROM_MS) return;
    const requests = waiting === 1 ? '1 request' : `${waiting} requests`;
    line(`waiting on Domo: no answer for ${formatEta(silentFor)} (${requests} waiting)`);
  };

  return {
    retried(event) {
      const at = now();
      if (spellStart === undefined || at - lastRetryAt >= SPELL_ENDS_AFTER_MS) spellStart = at;
      lastRetryAt = at;
      if (event.delayMs < SAY_WAIT_FROM_MS && at - spellStart < SAY_RETRYING_FROM_MS) return;
      line(`${retryCause(event)}: waiting ${formatEta(event.delayMs)} before retrying`);
    },
    watched(fetch) {
      return async (...args) => {
        waiting++;
        silentSince ??= now();
        try {
          const response = await fetch(...args);
          waiting--;
          // Requests still out were sent before this answer: their silence starts now.
          silentSince = waiting === 0 ? undefined : now();
          return response;
        } catch (error) {
          waiting--;
          throw error;
        }
      };
    },
    progressed(h) {
      hours = { windowsDone: h.windowsDone, windowsPlanned: h.windowsPlanned };
    },
    check,
    show(to, everyMs = CHECK_EVERY_MS) {
      say = to;
      const timer = setInterval(check, everyMs);
      timer.unref();
      return () => {
        clearInterval(timer);
        say = undefined;
      };
    },
  };
}
