import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_PAGE_SIZE } from '../core/domo/audit-source.ts';
import { errorMessage } from '../core/error-message.ts';
import { DAY_MS } from '../core/time-units.ts';
import { assertTimeZone } from '../core/zoned-time.ts';
import { type SimClient, TokenIssuer } from './access-tokens.ts';
import { AuditStore, type StoredEntry } from './audit-store.ts';
import { domoError } from './domo-error.ts';
import {
  CLEAN_ENTRIES,
  checkVariation,
  type EntryVariation,
  isVariationActive,
  renderEntry,
} from './entry-variation.ts';
import {
  type Fault,
  type FaultEndpoint,
  type FaultKind,
  type FaultOptions,
  FaultPlan,
} from './fault-plan.ts';
import { type GroundTruthEntry, toGroundTruth } from './ground-truth.ts';
import { exchangeInProcess, type SimRequest, type SimResponse } from './in-process-exchange.ts';
import { checkLateEvents, type LateEventOptions, visibleFrom } from './late-events.ts';
import { Prng, type Seed } from './prng.ts';
import { RateLimitWindow } from './rate-limit.ts';
import type { SimEvent } from './sim-event.ts';
import { renderTime, TIME_FORMATS, type TimeFormat } from './time-format.ts';

export interface SimulatorOptions {
  /** The instance's events; more can be added later with `addEvents`. */
  events?: readonly SimEvent[];
  /** Default: one client `sim-client` / `sim-secret` with scope `audit`. */
  clients?: SimClient[];
  /** The server's notion of now (token expiry, visibility, retention). Default `Date.now`. */
  clock?: () => number;
  /** Default 3599. */
  tokenLifetimeSec?: number;
  /** How `time` is rendered. Default `epochMs`. */
  timeFormat?: TimeFormat;
  /** Zone of `docString` times. Default `UTC`. */
  docStringTimeZone?: string;
  /** Default true. */
  startInclusive?: boolean;
  /** Default true. */
  endInclusive?: boolean;
  /** What `limit` above 1000 does: served as 1000, or answered with 400. Default `clamp`. */
  limitAboveMax?: 'clamp' | 'reject';
  /**
   * Deepest `offset` served: a deeper one is answered with 400, as by a server with a ceiling on
   * its result window. Default: none.
   */
  maxOffset?: number;
  /**
   * Rows of an answer past this position are never served, silently: a page reaching past it comes
   * back short, a page past it empty, as by a server that caps its result window without saying
   * so. Default: none.
   */
  resultWindow?: number;
  /** Entries older than this many days before `clock()` are never served. Default 365. */
  retentionDays?: number;
  /** Seed of fault decisions and entry variation. Default 0. */
  seed?: Seed;
  /**
   * The `customer` its token answers name: the Domo instance, which a lake records and checks.
   * Default `simulated-<seed>`, so simulations of other companies are other instances.
   */
  customer?: string;
  faults?: Partial<FaultOptions>;
  /** Default: all zero (clean entries). */
  entryVariation?: Partial<EntryVariation>;
  /**
   * A seeded fraction of the events (those given here and those added later without their own
   * `visibleFromMs`) is served only from `timeMs + delay` on. Default: none late.
   */
  lateEvents?: LateEventOptions;
  /**
   * Serve entries of one time (a bulk action's, one millisecond) in a new order on each request,
   * drawn from `seed`, as an SQL engine may serve the ties of its ORDER BY between requests of
   * other offsets. Default false: in the order they were added.
   */
  shuffleTies?: boolean;
  /** Default 0 (any free port). The server always binds 127.0.0.1. */
  port?: number;
}

export interface SimulatorStats {
  /** Every HTTP request received, whatever the endpoint. */
  requests: number;
  /** Answers sent, by status code. */
  byStatus: Record<string, number>;
  tokensIssued: number;
  /** Faults injected so far, by kind, into both endpoints. */
  faultsInjected: Record<FaultKind, number>;
  /** Of those, the ones injected into `/oauth/token` (only with `faults.tokenEndpoint`). */
  tokenFaultsInjected: Record<FaultKind, number>;
}

/** A running simulator of `https://api.domo.com` (token and audit endpoints) on loopback. */
export interface Simulator {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  /** Stops listening and drops every connection, keep-alive and slowed ones included. */
  close(): Promise<void>;
  /** What the API holds at `atMs` (default `clock()`), in serving order. */
  groundTruth(atMs?: number): GroundTruthEntry[];
  /**
   * Adds events; with `visibleFromMs` they are served only from then on, with their old time.
   * Without it, the `lateEvents` option (if any) decides, per event, when it becomes visible.
   */
  addEvents(events: readonly SimEvent[], visibleFromMs?: number): void;
  setFaults(faults: Partial<FaultOptions>): void;
  stats(): SimulatorStats;
  /**
   * Answers a request in process, without a socket: the same routes, faults, delays and paging as
   * over HTTP. Tests that run hundreds of whole ingests give it to the audit client as its `fetch`.
   */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

const MAX_FORM_BYTES = 64 * 1024;
const JSON_TYPE = 'application/json;charset=UTF-8';
const DEFAULT_CLIENT: SimClient = { clientId: 'sim-client', clientSecret: 'sim-secret', scopes: ['audit'] };

const HTML_PAGES = {
  200: '<!DOCTYPE html>\n<html><head><title>Domo - Scheduled Maintenance</title></head>\n<body><h1>We will be right back</h1><p>Domo is undergoing scheduled maintenance.</p></body></html>\n',
  502: '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n',
} as const;

class BadRequest extends Error {}

function checkOptions(o: SimulatorOptions): void {
  if (o.timeFormat !== undefined && !TIME_FORMATS.includes(o.timeFormat)) {
    throw new RangeError(`timeFormat must be one of ${TIME_FORMATS.join(', ')}, got ${String(o.timeFormat)}`);
  }
  assertTimeZone(o.docStringTimeZone ?? 'UTC');
  if (o.tokenLifetimeSec !== undefined && !(Number.isInteger(o.tokenLifetimeSec) && o.tokenLifetimeSec > 0)) {
    throw new RangeError('tokenLifetimeSec must be a positive integer of seconds');
  }
  if (o.retentionDays !== undefined && !(o.retentionDays > 0))
    throw new RangeError('retentionDays must be > 0');
  if (o.limitAboveMax !== undefined && o.limitAboveMax !== 'clamp' && o.limitAboveMax !== 'reject') {
    throw new RangeError(`limitAboveMax must be 'clamp' or 'reject', got ${String(o.limitAboveMax)}`);
  }
  if (o.clients !== undefined && o.clients.length === 0) {
    throw new RangeError('clients must hold at least one client (or be left out for the default sim-client)');
  }
  if (o.lateEvents !== undefined) checkLateEvents(o.lateEvents);
  checkPaging(o);
}

function checkPaging(o: SimulatorOptions): void {
  if (o.maxOffset !== undefined && !(Number.isInteger(o.maxOffset) && o.maxOffset >= 0))
    throw new RangeError('maxOffset must be a whole number >= 0');
  if (o.resultWindow !== undefined && !(Number.isInteger(o.resultWindow) && o.resultWindow >= 0))
    throw new RangeError('resultWindow must be a whole number >= 0');
}

function secretMatches(expected: string, given: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function integerParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  // Domo's own sample request has a stray space after `start=`: tolerate surrounding blanks.
  const text = raw.trim();
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new BadRequest(`${name} must be an integer, got "${raw.slice(0, 40)}"`);
  }
  return value;
}

/**
 * The scopes a client_credentials grant (query or form) asks for, all the client's when it names
 * none; a grant of another type or beyond the client's scopes throws BadRequest (HTTP 400).
 */
function grantedScopes(url: URL, form: string, client: SimClient): string[] {
  const params = new URLSearchParams(url.search);
  for (const [key, value] of new URLSearchParams(form)) params.set(key, value);
  const grantType = params.get('grant_type');
  if (grantType !== 'client_credentials') {
    throw new BadRequest(`grant_type must be client_credentials, got ${grantType ?? 'nothing'}`);
  }
  const requested = [...new Set((params.get('scope') ?? '').split(/\s+/).filter(Boolean))];
  const notGranted = requested.filter((s) => !client.scopes.includes(s));
  if (notGranted.length > 0) {
    throw new BadRequest(
      `scope ${notGranted.join(' ')} is not granted to this client (it has: ${client.scopes.join(' ')}); ask for a subset or leave scope out`,
    );
  }
  return requested.length > 0 ? requested : client.scopes;
}

/** A stored entry's user id as the `user` filter compares it (absent: no user). */
const userIdOf = (raw: unknown): string | undefined =>
  raw === undefined || raw === null ? undefined : String(raw);

/** The range, page and user of an audit request; a bad one throws BadRequest (HTTP 400). */
function auditParams(params: URLSearchParams, limitAboveMax: 'clamp' | 'reject', maxOffset?: number) {
  const startMs = integerParam(params, 'start');
  if (startMs === undefined)
    throw new BadRequest('start is required: the start of the range in epoch milliseconds');
  const endMs = integerParam(params, 'end');
  let limit = integerParam(params, 'limit') ?? 50;
  const offset = integerParam(params, 'offset') ?? 0;
  if (limit < 1) throw new BadRequest(`limit must be between 1 and ${MAX_PAGE_SIZE}, got ${limit}`);
  if (limit > MAX_PAGE_SIZE) {
    if (limitAboveMax === 'reject') {
      throw new BadRequest(`limit must be between 1 and ${MAX_PAGE_SIZE}, got ${limit}`);
    }
    limit = MAX_PAGE_SIZE;
  }
  if (offset < 0) throw new BadRequest(`offset must be >= 0, got ${offset}`);
  if (maxOffset !== undefined && offset > maxOffset) {
    throw new BadRequest(`offset must be at most ${maxOffset} (the result window), got ${offset}`);
  }
  const user = params.get('user')?.trim() || undefined;
  return { startMs, endMs, limit, offset, user };
}

async function readForm(req: SimRequest): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new BadRequest(`request body larger than ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the simulator on 127.0.0.1 and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  checkOptions(options);
  const clock = options.clock ?? Date.now;
  const clients = options.clients ?? [DEFAULT_CLIENT];
  const timeFormat = options.timeFormat ?? 'epochMs';
  const zone = options.docStringTimeZone ?? 'UTC';
  const startInclusive = options.startInclusive ?? true;
  const endInclusive = options.endInclusive ?? true;
  const limitAboveMax = options.limitAboveMax ?? 'clamp';
  const retentionMs = (options.retentionDays ?? 365) * DAY_MS;
  const seed = options.seed ?? 0;
  const variation: EntryVariation = { ...CLEAN_ENTRIES, ...options.entryVariation };
  checkVariation(variation);
  const variationRng = isVariationActive(variation) ? new Prng(seed).fork('entry-variation') : undefined;
  const late = options.lateEvents;
  const lateRng = late && late.fraction > 0 ? new Prng(seed).fork('late-events') : undefined;

  const faults = new FaultPlan(seed, options.faults);
  let rateLimit: { perSecond: number; window: RateLimitWindow } | undefined;
  /** Whether `faults.rateLimitPerSecond` (audit and token requests together) lets a request in. */
  const admitted = (): boolean => {
    const perSecond = faults.current.rateLimitPerSecond;
    if (perSecond === undefined) return true;
    if (rateLimit?.perSecond !== perSecond) rateLimit = { perSecond, window: new RateLimitWindow(perSecond) };
    return rateLimit.window.admit(clock());
  };
  const issuer = new TokenIssuer(clock, options.customer ?? `simulated-${seed}`);
  const store = new AuditStore(options.shuffleTies ? new Prng(seed).fork('tie-order') : undefined);
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let eventsStored = 0;
  let errorsSent = 0;
  let closing = false;
  const pendingDelays = new Map<NodeJS.Timeout, (alive: boolean) => void>();

  function addEvents(events: readonly SimEvent[], visibleFromMs?: number): void {
    const items: Omit<StoredEntry, 'seq'>[] = [];
    for (const event of events) {
      if (!Number.isFinite(event.timeMs))
        throw new RangeError(`event timeMs must be a finite number, got ${event.timeMs}`);
      const index = eventsStored++;
      const rendered = renderEntry(
        event,
        renderTime(event.timeMs, timeFormat, zone),
        variation,
        variationRng?.fork(index),
      );
      const item = {
        timeMs: event.timeMs,
        visibleFromMs: visibleFromMs ?? lateVisibility(event.timeMs, index),
        userId: userIdOf(event.entry.userId),
        json: rendered.json,
        malformed: rendered.malformed,
      };
      items.push(item);
      if (rendered.copies === 2) items.push({ ...item });
    }
    store.add(items);
  }

  /** When a stored event becomes visible: at once, or later when late arrivals are simulated. */
  function lateVisibility(timeMs: number, index: number): number {
    return late && lateRng ? visibleFrom(timeMs, late, lateRng.fork(index)) : Number.NEGATIVE_INFINITY;
  }

  function send(
    res: SimResponse,
    status: number,
    body: string,
    contentType = JSON_TYPE,
    headers: Record<string, string> = {},
  ): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }

  function sendError(
    res: SimResponse,
    status: number,
    message: string,
    path: string,
    headers: Record<string, string> = {},
  ): void {
    send(res, status, JSON.stringify(domoError(status, message, path, ++errorsSent)), JSON_TYPE, headers);
  }

  /** Resolves true after `ms`, or false at once if the server closes first. */
  function delay(ms: number): Promise<boolean> {
    if (closing) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingDelays.delete(timer);
        resolve(true);
      }, ms);
      timer.unref();
      pendingDelays.set(timer, resolve);
    });
  }

  /** The API client the request's Basic credentials name, or undefined once a 401 is sent. */
  function authenticatedClient(req: SimRequest, res: SimResponse, path: string): SimClient | undefined {
    const challenge = { 'www-authenticate': 'Basic realm="oauth2/client"' };
    const credentials = parseBasic(req.headers.authorization);
    if (!credentials) {
      sendError(
        res,
        401,
        'Full authentication is required: send HTTP Basic auth with the client id and secret.',
        path,
        challenge,
      );
      return undefined;
    }
    const client = clients.find((c) => c.clientId === credentials.id);
    if (!client || !secretMatches(client.clientSecret, credentials.secret)) {
      sendError(
        res,
        401,
        'Bad credentials: the client id or secret is wrong; check the API client in Domo.',
        path,
        challenge,
      );
      return undefined;
    }
    return client;
  }

  async function handleToken(req: SimRequest, res: SimResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const form = req.method === 'POST' ? await readForm(req) : '';
    const client = authenticatedClient(req, res, path);
    if (!client) return;
    const scopes = grantedScopes(url, form, client);
    const fault = await injectFault(res, 'token', path);
    if (fault === undefined) return;
    const lifetime = faults.current.tokenLifetimeSec ?? options.tokenLifetimeSec ?? 3599;
    const token = issuer.issue(client, scopes, lifetime);
    sendBody(res, JSON.stringify(token), fault, { 'cache-control': 'no-store' });
  }

  /**
   * Decides the fault for a request that would succeed, waits out any slowness and sends the fault's
   * answer. Returns the fault when the real answer is still to be sent (`none`, or `truncated`, which
   * cuts that answer), undefined when the request is answered or dropped.
   */
  async function injectFault(
    res: SimResponse,
    endpoint: FaultEndpoint,
    path: string,
    token?: string,
  ): Promise<Fault | undefined> {
    if (!admitted()) {
      sendError(res, 429, 'Too Many Requests: this client is above its request rate.', path, {
        'retry-after': '1',
      });
      return undefined;
    }
    const { fault, delayMs } = faults.decide(endpoint);
    if (delayMs > 0 && !(await delay(delayMs))) {
      res.destroy();
      return undefined;
    }
    switch (fault.kind) {
      case 'failFirst':
        sendError(res, 503, 'Service Unavailable (simulated: failFirstRequests).', path, retryAfter503());
        return undefined;
      case 'rate429':
        sendError(res, 429, 'Too Many Requests (simulated): slow down and retry later.', path, retryAfter());
        return undefined;
      case 'rate5xx':
        sendError(
          res,
          fault.status,
          'Simulated server error: retry later.',
          path,
          fault.status === 503 ? retryAfter503() : {},
        );
        return undefined;
      case 'html':
        send(res, fault.status, HTML_PAGES[fault.status], 'text/html;charset=UTF-8');
        return undefined;
      case 'rate401':
        // Revoked: refused from now on, though its lifetime is not over.
        if (token !== undefined) issuer.revoke(token);
        sendError(res, 401, 'The access token is not valid: get a new one from /oauth/token.', path);
        return undefined;
      case 'rate403':
        sendError(res, 403, 'API Rate limit reached.', path);
        return undefined;
      default:
        return fault;
    }
  }

  /** The Retry-After header the faults' style and delay give, if any. */
  function retryAfter(): Record<string, string> {
    const f = faults.current;
    if (f.retryAfter === 'seconds') return { 'retry-after': String(f.retryAfterSeconds) };
    if (f.retryAfter === 'http-date')
      return { 'retry-after': new Date(clock() + f.retryAfterSeconds * 1000).toUTCString() };
    return {};
  }

  /** A 503's Retry-After: as a 429's with `retryAfterOn503`, none without. */
  function retryAfter503(): Record<string, string> {
    return faults.current.retryAfterOn503 ? retryAfter() : {};
  }

  /**
   * Sends a 200 JSON answer, cut in the middle when the fault says so: a consistent short body
   * (`truncated`), or the whole body's Content-Length and then a reset connection (`reset`).
   */
  function sendBody(
    res: SimResponse,
    body: string,
    fault: Fault,
    headers: Record<string, string> = {},
  ): void {
    if (fault.kind === 'reset') {
      if (res.destroyed || res.writableEnded) return;
      const bytes = Buffer.from(body, 'utf8');
      const cut = Math.min(bytes.length - 1, Math.max(1, Math.floor(bytes.length * fault.cutFraction)));
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': bytes.length, ...headers });
      byStatus[200] = (byStatus[200] ?? 0) + 1;
      // Destroyed once the part is flushed: destroyed at once, the headers never left either.
      res.write(bytes.subarray(0, cut), () => res.destroy());
      return;
    }
    if (fault.kind === 'truncated') {
      const cut = Math.min(body.length - 1, Math.max(1, Math.floor(body.length * fault.cutFraction)));
      send(res, 200, body.slice(0, cut), JSON_TYPE, headers);
      return;
    }
    send(res, 200, body, JSON_TYPE, headers);
  }

  /** The bearer token when it is valid and holds the audit scope; answers 401/403 when not. */
  function authorizedForAudit(req: SimRequest, res: SimResponse, path: string): string | undefined {
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!bearer) {
      sendError(
        res,
        401,
        'Full authentication is required: send "Authorization: bearer <access token>".',
        path,
      );
      return undefined;
    }
    const check = issuer.check(bearer[1] as string);
    if (!check.ok) {
      const why = check.reason === 'expired' ? 'has expired' : 'is not valid';
      sendError(res, 401, `The access token ${why}: get a new one from /oauth/token.`, path);
      return undefined;
    }
    if (!check.scopes.includes('audit')) {
      sendError(
        res,
        403,
        'The access token lacks the "audit" scope: request scope=audit from a client granted it.',
        path,
      );
      return undefined;
    }
    return bearer[1] as string;
  }

  async function handleAudit(req: SimRequest, res: SimResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const token = authorizedForAudit(req, res, path);
    if (token === undefined) return;
    const { startMs, endMs, limit, offset, user } = auditParams(
      url.searchParams,
      limitAboveMax,
      options.maxOffset,
    );

    const fault = await injectFault(res, 'audit', path, token);
    if (fault === undefined) return;

    const window = options.resultWindow ?? Number.POSITIVE_INFINITY;
    const page = store.page(
      { startMs, endMs, startInclusive, endInclusive, user, nowMs: clock(), retentionMs },
      offset,
      Math.max(0, Math.min(limit, window - offset)),
    );
    sendBody(res, `[${page.map((e) => e.json).join(',')}]`, fault);
  }

  const routes: Record<
    string,
    {
      methods: string[];
      use: string;
      handle: (req: SimRequest, res: SimResponse, url: URL) => Promise<void>;
    }
  > = {
    '/oauth/token': { methods: ['GET', 'POST'], use: 'use POST (or GET)', handle: handleToken },
    '/v1/audit': { methods: ['GET'], use: 'use GET', handle: handleAudit },
  };

  async function handle(req: SimRequest, res: SimResponse): Promise<void> {
    requests++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    try {
      const route = routes[path];
      if (!route) {
        sendError(res, 404, `No endpoint ${path}: the simulator serves /oauth/token and /v1/audit.`, path);
      } else if (!route.methods.includes(req.method ?? '')) {
        sendError(res, 405, `${req.method} is not allowed on ${path}: ${route.use}.`, path, {
          allow: route.methods.join(', '),
        });
      } else {
        await route.handle(req, res, url);
      }
    } catch (error) {
      if (error instanceof BadRequest) sendError(res, 400, error.message, path);
      else sendError(res, 500, `Simulator failure: ${errorMessage(error)}`, path);
    }
  }

  addEvents(options.events ?? []);
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const [timer, wake] of pendingDelays) {
          clearTimeout(timer);
          wake(false);
        }
        pendingDelays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
    groundTruth(atMs = clock()) {
      return toGroundTruth(store.servableAt(atMs, retentionMs));
    },
    addEvents,
    setFaults(changes) {
      faults.update(changes);
    },
    fetch: (url, init) => exchangeInProcess(handle, url, init),
    stats() {
      return {
        requests,
        byStatus: { ...byStatus },
        tokensIssued: issuer.issued,
        faultsInjected: faults.injected(),
        tokenFaultsInjected: faults.injected('token'),
      };
    },
  };
}
