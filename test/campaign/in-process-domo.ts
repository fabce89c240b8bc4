import { Prng } from '../../functions/simulator/prng.ts';

/**
 * A Domo API answered in process (no socket): a `fetch` the real audit client takes, serving
 * `POST /oauth/token` and `GET /v1/audit` with Domo's paging (newest first, inclusive bounds) and
 * seeded faults. Fast enough to run hundreds of whole ingest scenarios inside `npm test`; the HTTP
 * simulator (functions/simulator) proves the same client against real sockets in other tests.
 */

export interface SourceEntry {
  timeMs: number;
  /** The entry's JSON text as served. */
  text: string;
  /** Served from this time on (late events); default: always. */
  visibleFromMs?: number;
}

export interface DomoFaults {
  rate429: number;
  /** Of the 429s, the share that carries `Retry-After: 0`. */
  retryAfterShare: number;
  rate5xx: number;
  rateHtml: number;
  rateTruncated: number;
  /** A page with more entries than `limit` asked for. */
  rateOversized: number;
  /** Answers that take their time (the client's sleep is instant in tests: counted only). */
  rateSlow: number;
  /** Audit calls a token serves before the API answers 401 (token expiry). */
  tokenUses: number;
}

export const NO_DOMO_FAULTS: DomoFaults = {
  rate429: 0,
  retryAfterShare: 0,
  rate5xx: 0,
  rateHtml: 0,
  rateTruncated: 0,
  rateOversized: 0,
  rateSlow: 0,
  tokenUses: Number.POSITIVE_INFINITY,
};

export type FaultCounts = Record<
  '429' | '429-retry-after' | '5xx' | 'html' | 'truncated' | 'oversized' | 'slow' | 'expired',
  number
>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export class InProcessDomo {
  faults: DomoFaults = NO_DOMO_FAULTS;
  readonly counts: FaultCounts = {
    '429': 0,
    '429-retry-after': 0,
    '5xx': 0,
    html: 0,
    truncated: 0,
    oversized: 0,
    slow: 0,
    expired: 0,
  };
  private readonly entries: SourceEntry[] = [];
  private readonly tokens = new Map<string, number>();
  private issued = 0;
  private readonly rng: Prng;

  constructor(
    seed: number,
    private readonly clock: () => number,
  ) {
    this.rng = new Prng(seed).fork('in-process-domo');
  }

  add(...entries: SourceEntry[]): void {
    this.entries.push(...entries);
  }

  /** The `fetch` to give the audit client. */
  readonly fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const target = new URL(String(url));
    if (target.pathname === '/oauth/token') return this.token();
    if (target.pathname === '/v1/audit') return this.audit(target, init);
    return json(404, { status: 404, message: 'not found' });
  };

  private token(): Response {
    const token = `token-${++this.issued}`;
    this.tokens.set(token, 0);
    return json(200, { access_token: token, token_type: 'bearer', expires_in: 3599, scope: 'audit' });
  }

  private audit(url: URL, init?: RequestInit): Response {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    const token = auth.replace(/^bearer\s+/i, '');
    const uses = this.tokens.get(token);
    if (uses === undefined || uses >= this.faults.tokenUses) {
      if (uses !== undefined) this.counts.expired++;
      return json(401, { status: 401, message: 'token expired' });
    }
    this.tokens.set(token, uses + 1);
    const fault = this.fault();
    if (fault) return fault;
    const start = Number(url.searchParams.get('start'));
    const end = Number(url.searchParams.get('end'));
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const now = this.clock();
    const matching = this.entries
      .map((entry, index) => ({ entry, index }))
      .filter(
        ({ entry }) => entry.timeMs >= start && entry.timeMs <= end && (entry.visibleFromMs ?? 0) <= now,
      )
      .sort((a, b) => b.entry.timeMs - a.entry.timeMs || a.index - b.index);
    const extra = this.rng.next() < this.faults.rateOversized ? limit + 3 : limit;
    if (extra > limit) this.counts.oversized++;
    const page = matching.slice(offset, offset + extra).map(({ entry }) => entry.text);
    return json(200, `[${page.join(',')}]`);
  }

  /** One seeded draw decides whether this answer is broken, and how. */
  private fault(): Response | undefined {
    const f = this.faults;
    if (this.rng.next() < f.rateSlow) this.counts.slow++;
    const answers: [number, () => Response][] = [
      [f.rate429, () => this.tooMany()],
      [f.rate5xx, () => this.unavailable()],
      [f.rateHtml, () => this.html()],
      [f.rateTruncated, () => this.truncated()],
    ];
    const draw = this.rng.next();
    let threshold = 0;
    for (const [rate, answer] of answers) {
      threshold += rate;
      if (draw < threshold) return answer();
    }
    return undefined;
  }

  private tooMany(): Response {
    const withRetryAfter = this.rng.next() < this.faults.retryAfterShare;
    this.counts[withRetryAfter ? '429-retry-after' : '429']++;
    return json(
      429,
      { status: 429, message: 'Too Many Requests' },
      withRetryAfter ? { 'retry-after': '0' } : {},
    );
  }

  private unavailable(): Response {
    this.counts['5xx']++;
    const status = [500, 502, 503][Math.floor(this.rng.next() * 3)] ?? 503;
    return json(status, { status, message: 'unavailable' });
  }

  private html(): Response {
    this.counts.html++;
    return new Response('<!DOCTYPE html><html><body>maintenance</body></html>', {
      status: 200,
      headers: { 'content-type': 'text/html' },
    });
  }

  private truncated(): Response {
    this.counts.truncated++;
    return json(200, '[{"actionType":"VIEWED","time":17');
  }
}
