import { Prng, type Seed } from './prng.ts';

/** How a 429 tells the client when to come back. */
type RetryAfterStyle = 'seconds' | 'http-date' | 'none';

/**
 * Faults injected into `GET /v1/audit` answers, and into `/oauth/token` answers too when
 * `tokenEndpoint` is set. Rates are per-request probabilities; 429, 5xx, HTML, truncated, revoked
 * tokens, 403s and resets are mutually exclusive (their sum must be <= 1), slowness applies on top
 * of any answer.
 */
export interface FaultOptions {
  rate429: number;
  retryAfter: RetryAfterStyle;
  /** The delay a 429 announces. Default 1. */
  retryAfterSeconds: number;
  /** 500, 502 or 503 with a Domo-style JSON error body. */
  rate5xx: number;
  /** 200 or 502 with an HTML page as body (a proxy or maintenance page). */
  rateHtml: number;
  /** 200 with the JSON array cut in the middle. */
  rateTruncated: number;
  /**
   * 401 for a token that has not expired: the server forgets it (revoked, or its client's secret
   * rotated mid-run), so it stays refused. Audit requests only: a 401 of the token endpoint is a
   * credentials error.
   */
  rate401: number;
  /**
   * 403 `API Rate limit reached.`: a rate limit answered as Forbidden, as one public "Domo" API
   * does. Audit requests only.
   */
  rate403: number;
  /**
   * 200 whose connection is reset mid-body: the headers announce the whole answer's
   * Content-Length, part of the body is sent, then the socket is destroyed.
   */
  rateReset: number;
  /** 503 answers (the 5xx fault's and `failFirstRequests`') carry Retry-After as 429s do. */
  retryAfterOn503: boolean;
  rateSlow: number;
  slowMs: number;
  /** The next N audit requests (counted from when this is set) fail with 503. */
  failFirstRequests: number;
  /** Lifetime of newly issued tokens, overriding the server's `tokenLifetimeSec`. */
  tokenLifetimeSec: number | undefined;
  /**
   * Also inject 429, 5xx, HTML, truncated and slow answers into successful `/oauth/token` requests,
   * at the same rates (decided from a stream of their own). `failFirstRequests` stays audit-only.
   */
  tokenEndpoint: boolean;
  /**
   * With `tokenEndpoint`, the drawn faults (and slowness) go to `/oauth/token` alone: audit requests
   * are answered cleanly, as when Domo's token service is down and its API is not. The draws are
   * still made, so the sequence of faults stays as it was.
   */
  tokenEndpointOnly: boolean;
  /**
   * Requests per second (audit and token together) the server accepts in any sliding second; it
   * answers 429 with `Retry-After: 1` above that. Undefined: no limit.
   */
  rateLimitPerSecond: number | undefined;
}

export const NO_FAULTS: FaultOptions = {
  rate429: 0,
  retryAfter: 'seconds',
  retryAfterSeconds: 1,
  rate5xx: 0,
  rateHtml: 0,
  rateTruncated: 0,
  rate401: 0,
  rate403: 0,
  rateReset: 0,
  retryAfterOn503: false,
  rateSlow: 0,
  slowMs: 0,
  failFirstRequests: 0,
  tokenLifetimeSec: undefined,
  tokenEndpoint: false,
  tokenEndpointOnly: false,
  rateLimitPerSecond: undefined,
};

/** Which endpoint a decision is for: each has its own seeded stream and its own counts. */
export type FaultEndpoint = 'audit' | 'token';

export type FaultKind =
  | 'failFirst'
  | 'rate429'
  | 'rate5xx'
  | 'html'
  | 'truncated'
  | 'rate401'
  | 'rate403'
  | 'reset'
  | 'slow';

export type Fault =
  | { kind: 'none' }
  | { kind: 'failFirst' }
  | { kind: 'rate429' }
  | { kind: 'rate5xx'; status: 500 | 502 | 503 }
  | { kind: 'html'; status: 200 | 502 }
  | { kind: 'truncated'; cutFraction: number }
  | { kind: 'rate401' }
  | { kind: 'rate403' }
  | { kind: 'reset'; cutFraction: number };

interface FaultDecision {
  fault: Fault;
  /** Delay before answering; 0 for none. */
  delayMs: number;
}

/** The rates of answers that exclude each other, in the order a draw falls on them. */
const EXCLUSIVE_RATES = [
  'rate429',
  'rate5xx',
  'rateHtml',
  'rateTruncated',
  'rate401',
  'rate403',
  'rateReset',
] as const;

function checkFaults(f: FaultOptions): void {
  for (const key of [...EXCLUSIVE_RATES, 'rateSlow'] as const) {
    if (!(f[key] >= 0 && f[key] <= 1))
      throw new RangeError(`faults.${key} must be a probability in [0, 1], got ${f[key]}`);
  }
  const exclusive = EXCLUSIVE_RATES.reduce((sum, key) => sum + f[key], 0);
  if (exclusive > 1 + 1e-9) {
    throw new RangeError(`faults.${EXCLUSIVE_RATES.join(' + ')} must not exceed 1, got ${exclusive}`);
  }
  checkCountsAndLimits(f);
  for (const key of ['tokenEndpoint', 'tokenEndpointOnly', 'retryAfterOn503'] as const) {
    if (typeof f[key] !== 'boolean')
      throw new RangeError(`faults.${key} must be true or false, got ${String(f[key])}`);
  }
  if (!['seconds', 'http-date', 'none'].includes(f.retryAfter)) {
    throw new RangeError(
      `faults.retryAfter must be 'seconds', 'http-date' or 'none', got ${String(f.retryAfter)}`,
    );
  }
}

/** The whole-number counts and the optional positive limits. */
function checkCountsAndLimits(f: FaultOptions): void {
  for (const key of ['slowMs', 'failFirstRequests', 'retryAfterSeconds'] as const) {
    if (!(Number.isInteger(f[key]) && f[key] >= 0))
      throw new RangeError(`faults.${key} must be an integer >= 0`);
  }
  if (f.tokenLifetimeSec !== undefined && !(Number.isInteger(f.tokenLifetimeSec) && f.tokenLifetimeSec > 0)) {
    throw new RangeError('faults.tokenLifetimeSec must be a positive integer of seconds');
  }
  if (
    f.rateLimitPerSecond !== undefined &&
    !(Number.isFinite(f.rateLimitPerSecond) && f.rateLimitPerSecond > 0)
  ) {
    throw new RangeError(
      `faults.rateLimitPerSecond must be a positive number of requests per second, got ${f.rateLimitPerSecond}`,
    );
  }
}

const noCounts = (): Record<FaultKind, number> => ({
  failFirst: 0,
  rate429: 0,
  rate5xx: 0,
  html: 0,
  truncated: 0,
  rate401: 0,
  rate403: 0,
  reset: 0,
  slow: 0,
});

/**
 * Decides, request by request, which fault (if any) to inject. Every decision draws the same number
 * of values from a seeded stream, so a run with the same seed and request sequence repeats exactly.
 * Token requests draw from a separate stream, so turning `tokenEndpoint` on leaves the audit
 * endpoint's sequence of faults as it was.
 */
export class FaultPlan {
  private options: FaultOptions;
  private readonly rngs: Record<FaultEndpoint, Prng>;
  private failFirstLeft: number;
  private readonly counts: Record<FaultEndpoint, Record<FaultKind, number>> = {
    audit: noCounts(),
    token: noCounts(),
  };

  constructor(seed: Seed, options: Partial<FaultOptions> = {}) {
    const root = new Prng(seed);
    this.rngs = { audit: root.fork('faults'), token: root.fork('token-faults') };
    this.options = { ...NO_FAULTS, ...options };
    checkFaults(this.options);
    this.failFirstLeft = this.options.failFirstRequests;
  }

  get current(): Readonly<FaultOptions> {
    return this.options;
  }

  /** Merges `changes` into the current options; setting `failFirstRequests` restarts its count. */
  update(changes: Partial<FaultOptions>): void {
    const next = { ...this.options, ...changes };
    checkFaults(next);
    this.options = next;
    if (changes.failFirstRequests !== undefined) this.failFirstLeft = changes.failFirstRequests;
  }

  /** The fault for the next request to `endpoint`; token requests get none unless `tokenEndpoint` is on. */
  decide(endpoint: FaultEndpoint = 'audit'): FaultDecision {
    const o = this.options;
    if (endpoint === 'token' && !o.tokenEndpoint) return { fault: { kind: 'none' }, delayMs: 0 };
    const rng = this.rngs[endpoint];
    const counts = this.counts[endpoint];
    const [pick, variant, slow] = [rng.next(), rng.next(), rng.next()];
    let fault: Fault;
    if (endpoint === 'audit' && this.failFirstLeft > 0) {
      this.failFirstLeft--;
      fault = { kind: 'failFirst' };
    } else fault = drawnFault(o, pick, variant);
    // A token endpoint's 401 or 403 says the credentials are wrong: not these faults.
    if (endpoint === 'token' && (fault.kind === 'rate401' || fault.kind === 'rate403'))
      fault = { kind: 'none' };
    const spared = endpoint === 'audit' && o.tokenEndpoint && o.tokenEndpointOnly;
    if (spared && fault.kind !== 'failFirst') fault = { kind: 'none' };
    if (fault.kind !== 'none') counts[fault.kind]++;
    const delayMs = slow < o.rateSlow && !spared ? o.slowMs : 0;
    if (delayMs > 0) counts.slow++;
    return { fault, delayMs };
  }

  /** How many of each fault were injected so far: into one endpoint, or into both when left out. */
  injected(endpoint?: FaultEndpoint): Record<FaultKind, number> {
    if (endpoint) return { ...this.counts[endpoint] };
    const total = noCounts();
    for (const kind of Object.keys(total) as FaultKind[]) {
      total[kind] = this.counts.audit[kind] + this.counts.token[kind];
    }
    return total;
  }
}

/** The random fault `pick` falls on (each rate a slice of [0, 1)), its variant chosen by `variant`. */
function drawnFault(o: FaultOptions, pick: number, variant: number): Fault {
  let edge = o.rate429;
  if (pick < edge) return { kind: 'rate429' };
  edge += o.rate5xx;
  if (pick < edge) return { kind: 'rate5xx', status: variant < 1 / 3 ? 500 : variant < 2 / 3 ? 502 : 503 };
  edge += o.rateHtml;
  if (pick < edge) return { kind: 'html', status: variant < 0.5 ? 200 : 502 };
  edge += o.rateTruncated;
  if (pick < edge) return { kind: 'truncated', cutFraction: 0.2 + 0.6 * variant };
  // Drawn after the older kinds: a seed without these rates injects what it did before them.
  edge += o.rate401;
  if (pick < edge) return { kind: 'rate401' };
  edge += o.rate403;
  if (pick < edge) return { kind: 'rate403' };
  edge += o.rateReset;
  if (pick < edge) return { kind: 'reset', cutFraction: 0.2 + 0.6 * variant };
  return { kind: 'none' };
}
