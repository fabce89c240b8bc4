import { DAY_MS, MINUTE_MS } from '../core/time-units.ts';
import { type FaultOptions, NO_FAULTS } from './fault-plan.ts';

/**
 * How Domo answers while it is down: 500/502/503s, 429s, or not at all; or `token`, 500/502/503s
 * from its token endpoint alone, the audit endpoint answering as before.
 */
export const OUTAGE_ANSWERS = ['5xx', '429', 'hang', 'token'] as const;
export type OutageAnswer = (typeof OUTAGE_ANSWERS)[number];

/** One outage, from when the schedule is played. */
export interface Outage {
  startMs: number;
  durationMs: number;
  /** How Domo answers during this one; default the schedule's (see {@link playOutages}). */
  answer?: OutageAnswer;
}

/** What a 429 of an outage asks the client to wait: long enough to be seen waiting. */
export const OUTAGE_RETRY_AFTER_SECONDS = 10;
/** How long a hung request is held: past a client's usual 30 s timeout, as a dead server's. */
export const OUTAGE_HANG_MS = MINUTE_MS;

/** Every answer excluding the others goes to zero: the outage's own rate is then 1 (the sum's cap). */
const NO_EXCLUSIVE = {
  rate429: 0,
  rate5xx: 0,
  rateHtml: 0,
  rateTruncated: 0,
  rate401: 0,
  rate403: 0,
  rateReset: 0,
  tokenEndpointOnly: false,
} as const satisfies Partial<FaultOptions>;

/**
 * The faults an outage switches on, for both endpoints (a Domo that is down issues no tokens
 * either; `token`: for its token endpoint alone): the simulator's own fault switches, which the
 * tests set, played on a schedule.
 */
export function outageFaults(answer: OutageAnswer): Partial<FaultOptions> {
  const both = { ...NO_EXCLUSIVE, tokenEndpoint: true };
  if (answer === '429')
    return { ...both, rate429: 1, retryAfter: 'seconds', retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS };
  if (answer === '5xx') return { ...both, rate5xx: 1 };
  // Slowness is drawn too, and the simulator's own would go to the token endpoint alone.
  if (answer === 'token') return { ...both, rate5xx: 1, tokenEndpointOnly: true, rateSlow: 0 };
  return { ...both, rateSlow: 1, slowMs: OUTAGE_HANG_MS };
}

/** The values `faults` (the simulator's own) had for each option the outage changes. */
function restored(changes: Partial<FaultOptions>, faults: Partial<FaultOptions>): Partial<FaultOptions> {
  const before: FaultOptions = { ...NO_FAULTS, ...faults };
  return Object.fromEntries(
    Object.keys(changes).map((key) => [key, before[key as keyof FaultOptions]]),
  ) as Partial<FaultOptions>;
}

/**
 * How long after its start an outage may end: a Node timer asked for more than 2^31 - 1 ms
 * (24.8 days) fires at once, which played an outage due in 1000 h straight away.
 */
export const OUTAGE_LATEST_END_MS = 24 * DAY_MS;

/** What playing a schedule needs: the simulator's switch, a timer, and where it says what it does. */
export interface OutagePlayer {
  setFaults(faults: Partial<FaultOptions>): void;
  /** Calls `run` after `ms`; returns what cancels it. */
  after(ms: number, run: () => void): () => void;
  say(line: string): void;
}

const realAfter = (ms: number, run: () => void): (() => void) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/**
 * Plays `outages` (in order, not overlapping) on a running simulator: at each start its faults
 * switch to the outage's own answer, else `answer`, for every request, at each end back to
 * `faults`, the ones it was started with. Returns what stops the schedule, leaving the faults as
 * they are then.
 */
export function playOutages(
  outages: readonly Outage[],
  answer: OutageAnswer,
  faults: Partial<FaultOptions>,
  player: Pick<OutagePlayer, 'setFaults' | 'say'> & Partial<Pick<OutagePlayer, 'after'>>,
): () => void {
  if (outages.some(({ startMs, durationMs }) => startMs + durationMs > OUTAGE_LATEST_END_MS))
    throw new RangeError('an outage must end within 24 days of the start: a later timer fires at once');
  const after = player.after ?? realAfter;
  const cancels = outages.flatMap(({ startMs, durationMs, answer: own }) => {
    const down = outageFaults(own ?? answer);
    return [
      after(startMs, () => {
        player.setFaults(down);
        player.say(`outage: answering ${shownAnswer(own ?? answer)} for ${durationMs / 1000} s`);
      }),
      after(startMs + durationMs, () => {
        player.setFaults(restored(down, faults));
        player.say('outage over: answering as before');
      }),
    ];
  });
  return () => {
    for (const cancel of cancels) cancel();
  };
}

const SHOWN_ANSWERS: Record<OutageAnswer, string> = {
  '429': `every request with 429 (Retry-After: ${OUTAGE_RETRY_AFTER_SECONDS})`,
  '5xx': 'every request with 500, 502 or 503',
  hang: `every request with no answer (held ${OUTAGE_HANG_MS / 1000} s)`,
  token: 'every token request with 500, 502 or 503, audit requests as before,',
};
const shownAnswer = (answer: OutageAnswer): string => SHOWN_ANSWERS[answer];
