import type { Sleep } from '../ports.ts';
import { type Clock, type DomoCredentials, type Log, silentLog } from '../ports.ts';
import { MINUTE_MS } from '../time-units.ts';
import { CODE_VERSION } from '../version.ts';
import { createAdaptivePacer } from './adaptive-pacer.ts';
import { DEFAULT_API_BASE, parseApiBase, shownApiBase } from './api-base.ts';
import {
  type AuditPage,
  type AuditQuery,
  type AuditSource,
  type AuditSourceStats,
  MAX_PAGE_SIZE,
  type NotJsonEntry,
} from './audit-source.ts';
import { DEFAULT_BODY_LIMITS, ResponseBody } from './bounded-body.ts';
import { withCredentialEntries } from './credential-entries.ts';
import { overlongFields, overlongProblem } from './credential-length.ts';
import { oneLine, reserialised } from './error-detail.ts';
import { DomoAnswerShapeError, DomoConfigError } from './errors.ts';
import {
  type Decoded,
  deadlineFor,
  type FetchLike,
  type HttpDeps,
  type HttpRequest,
  type HttpResult,
  type RetryEvent,
  type SendOptions,
  scheduleMs,
  sendRequest,
} from './http-request.ts';
import { notJsonConfirmer, parserError } from './not-json-entries.ts';
import { oldestFirstLimiter } from './oldest-first-limiter.ts';
import { createRedactor } from './redactor.ts';
import { looksLikeClientId, shownClientId } from './shown-client-id.ts';
import {
  type ElementSizes,
  JsonArraySplitError,
  type SplitElements,
  splitJsonArrayUpTo,
} from './split-json-array.ts';
import { createTokenProvider, type Send, type TokenShelf } from './token-provider.ts';
import { type DecodedPage, pageOneByOne } from './too-large-entries.ts';

export const DEFAULT_USER_AGENT = `domo-activity-lake/${CODE_VERSION}`;

/**
 * How the client waits, and the clocks and jitter of those waits. The pacer spaces requests by the
 * time its own sleeps take, so `pacingClock` must be the clock `sleep` moves: monotonic time for
 * the real timer (core/runtime.ts), even when the run's `clock` is simulated (or its waits grow
 * without end while that clock stands still) or set back an hour by an operator (the next slot an
 * hour away); a test's virtual clock for its fake sleep. All required, with no real default, so a
 * test that forgets one fails to type-check instead of waiting for real.
 */
export interface AuditClientWaits {
  /** Used for backoff and rate-limit waits (not for the request timeout, which is real time). */
  sleep: Sleep;
  /** The clock `sleep` moves: the pacer's send times and latencies. */
  pacingClock: Clock;
  /** The wall clock: the token's expiry and the dates of messages. */
  clock: Clock;
  /** Uniform in [0, 1), to spread retries. */
  random: () => number;
}

export type AuditClientOptions = AuditClientSettings & AuditClientWaits;

export interface AuditClientSettings {
  /** Default `https://api.domo.com`; https, or http to a loopback host (the local simulator). */
  apiBase?: string;
  credentials: DomoCredentials;
  /**
   * How requests go out: the entry point passes `globalThis.fetch`, a test its fake. Required, so
   * a test that forgets it fails at once instead of reaching the network.
   */
  fetch: FetchLike;
  /** Per HTTP request, reading the body included. Default 30 000. */
  requestTimeoutMs?: number;
  /**
   * Most bytes a response may declare in Content-Length. Default 8 MiB (a real 1,000-entry page is
   * ~475 KB, ~33 KB gzip). A page past a cap is a broken answer: retried, then the window fails.
   */
  maxWireBytes?: number;
  /** Most bytes of a response body once unpacked: the memory one page may take. Default 8 MiB. */
  maxBodyBytes?: number;
  /**
   * Attempts per request, the first included. Default 6. Throttling answers (429) do not use them
   * up: a throttled request is retried for as long as one request may take (`requestDeadlineMs`).
   */
  maxAttempts?: number;
  /**
   * A request failing on answers of the server's (408, 5xx) gives up on its attempts only once
   * this long has passed since its first. Default 60 000.
   */
  minRetryWindowMs?: number;
  /**
   * Longest one page request may take: its attempts, the waits between them and the access token
   * requests they make, not its waits for the client's own rate limit. Default the page's own
   * retry schedule at its longest (`scheduleMs`: 780 000 at the defaults).
   */
  requestDeadlineMs?: number;
  /** Backoff ceiling of the first retry, doubling after. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling. Default 30 000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; longer ones are cut to this. Default 120 000. */
  maxRetryAfterMs?: number;
  /**
   * A hard ceiling on the client-wide rate of HTTP requests, token requests included. Default none:
   * the client finds the API's pace itself (backs off on 429, 5xx and rising latency).
   */
  requestsPerSecond?: number;
  /** The slowest pace a push-back may cut the client to. Default 0.2 req/s. */
  minRequestsPerSecond?: number;
  /** Renew the token this long before it expires. Default 120 000. */
  tokenRefreshMarginMs?: number;
  /** Where the last token of these credentials is kept for the next client (see the token provider's). */
  tokenShelf?: TokenShelf;
  /** OAuth scope(s) to request, space separated. Default `audit`. */
  scope?: string;
  /** Default `domo-activity-lake/<package version>`. */
  userAgent?: string;
  /** Called before every retry (after the secret scrub), e.g. to count retries by status. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * How a given-up or refused request names `apiBase` in its advice (see
   * {@link HttpDeps.addressName}); default: "its address" for a given-up one, `apiBase` for a refusal.
   */
  addressName?: string;
  /** Where the credentials come from, as a refusal's advice names it (see the token provider's). */
  credentialsSource?: string;
  log?: Log;
}

export interface AuditClientStats extends AuditSourceStats {
  /** Access tokens obtained. */
  tokenRefreshes: number;
}

export interface AuditClient extends AuditSource {
  stats(): AuditClientStats;
  customer(): string | undefined;
}

const AUDIT_REQUEST = 'GET /v1/audit';
/**
 * The status of an empty result sent without a body. Domo's page does not say how an empty result
 * comes; read as a body, it was "not JSON (empty)", retried, and failed every quiet hour of every
 * run, the watermark held at the first one. Only this status: an empty 200 body stays broken.
 */
const NO_CONTENT = 204;
/** Fewest entries a page is asked for when bodies are too large: offset paging re-reads a row. */
const MIN_PAGE_SIZE = 2;
/** New tokens tried for one page after 401s: the first, then more only while they expire in flight. */
const MAX_TOKEN_RENEWALS = 3;
/** Longest token-answer field (scope, role, customer) logs and messages quote. */
const ANSWER_FIELD_CHARS = 100;

/** A page split into its entries' texts and sizes, not parsed yet. */
interface SplitPage {
  entryTexts: string[];
  sizes: ElementSizes;
  bodyBytes: number;
}

/**
 * The entries of one page and the text of each as served, read from the body's bytes: each entry's
 * text is decoded and parsed alone (the page is never one string). More entries than `limit` is a
 * broken answer, not a bonus: paging by offset would skip or repeat entries, so it is retried like
 * any broken body and fails the window if it persists.
 */
export function decodeAuditPage(body: ResponseBody, limit: number): Decoded<DecodedPage> {
  const page = splitPage(withoutByteOrderMark(body), limit);
  return page.ok ? parsedEntries(page.value) : page;
}

/** The UTF-8 of a byte order mark (U+FEFF). */
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The body without one leading byte order mark, which RFC 8259 lets a parser ignore: served with
 * one, every page was "not JSON" (review R-HOSTILE2 L2).
 */
function withoutByteOrderMark(body: ResponseBody): ResponseBody {
  const { bytes } = body;
  return bytes.subarray(0, 3).equals(BYTE_ORDER_MARK) ? new ResponseBody(bytes.subarray(3)) : body;
}

/** The page of a 204 No Content: no entries, as `[]` would have said. */
function emptyPage(): Decoded<DecodedPage> {
  return { ok: true, value: { entries: [], entryTexts: [], entryWeights: [], entryBytes: [], bodyBytes: 0 } };
}

/**
 * The page's entries as texts, weighed, before any is parsed: the splitter makes the text of
 * `limit` entries at most and counts the rest, so a page of too many is refused for what it costs
 * to scan (an 8 MiB page of 2.7 million `{}`, each made a string and parsed, took 708 MB first).
 */
function splitPage(body: ResponseBody, limit: number): Decoded<SplitPage> {
  const sizes: ElementSizes = { bytes: [], weights: [], invalidUtf8: [] };
  let split: SplitElements;
  try {
    split = splitJsonArrayUpTo(body.bytes, limit, sizes);
  } catch (error) {
    if (!(error instanceof JsonArraySplitError)) throw error;
    // The splitter takes every JSON array (it checks less than the grammar, never more), so a text
    // it turns down after an opening `[` is not JSON: parsed whole to say so, 8 MiB of `{}` cut
    // short took ~245 MB of values first.
    if (opensAnArray(body.bytes)) return { ok: false, reason: 'is not JSON' };
    const packed = packedAs(body.bytes);
    if (packed !== undefined) return { ok: false, reason: packed };
    return whyNotAPage(body.text(), error.message);
  }
  if (split.elements > limit) {
    return {
      ok: false,
      reason: `holds ${split.elements} entries, more than the limit of ${limit} asked for`,
    };
  }
  return { ok: true, value: { entryTexts: split.texts, sizes, bodyBytes: body.bytes.length } };
}

/**
 * The entries parsed from their texts. One that is not JSON is listed with the parser's error and
 * kept as its text (a string), not the page failed: the splitter has found every entry's bounds and
 * the array's end, so the others are whole (review R-DRIFT H1). The client asks such a page again
 * before it takes it (`notJsonConfirmer`).
 */
function parsedEntries({ entryTexts, sizes, bodyBytes }: SplitPage): Decoded<DecodedPage> {
  const entries: unknown[] = new Array(entryTexts.length);
  const notJson: NotJsonEntry[] = [];
  for (let i = 0; i < entryTexts.length; i++) {
    const text = entryTexts[i] as string;
    try {
      entries[i] = JSON.parse(text);
    } catch (error) {
      entries[i] = text;
      notJson.push({ index: i, error: parserError(error) });
    }
  }
  const invalid = sizes.invalidUtf8 ?? [];
  return {
    ok: true,
    value: {
      entries,
      entryTexts,
      entryWeights: sizes.weights,
      entryBytes: sizes.bytes,
      bodyBytes,
      ...(invalid.length > 0 ? { invalidUtf8Entries: invalid } : {}),
      ...(notJson.length > 0 ? { notJsonEntries: notJson } : {}),
    },
  };
}

/**
 * Why a body that is not one array of JSON values was turned down, as a JSON parser of the whole
 * text sees it (what the message of a broken page has always said); the splitter's reason only if
 * the whole text is an array all the same.
 */
function whyNotAPage(text: string, splitReason: string): Extract<Decoded<never>, { ok: false }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (entriesByLine(text)) throw new DomoAnswerShapeError(NEWLINE_DELIMITED);
    return { ok: false, reason: 'is not JSON' };
  }
  if (!Array.isArray(value)) {
    const held = entriesHeldBy(value);
    if (held !== undefined) throw new DomoAnswerShapeError(shapeChanged(value as object, held));
    const list = emptyListBesidePaging(value);
    if (list !== undefined) throw new DomoAnswerShapeError(emptyListShape(value as object, list));
    const object = value !== null && typeof value === 'object';
    return {
      ok: false,
      reason: `is not a JSON array${objectKeys(value)}`,
      ...(object ? { seen: 'object' } : {}),
    };
  }
  return { ok: false, reason: `cannot be split into entries (${splitReason})` };
}

/** Most keys of an answer a message names, and the longest name it quotes whole. */
const SHOWN_KEYS = 10;
const SHOWN_KEY_CHARS = 40;

/** ` (a JSON object with keys a, b)` for an object, else nothing: what a broken answer holds. */
function objectKeys(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  return ` (${objectWithKeys(value)})`;
}

/** `a JSON object with keys "a", "b"`: the names, cut to a few, each to one short line. */
function objectWithKeys(value: object): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty JSON object';
  const shown = keys.slice(0, SHOWN_KEYS).map((key) => JSON.stringify(oneLine(key, SHOWN_KEY_CHARS)));
  const more = keys.length > SHOWN_KEYS ? `, and ${keys.length - SHOWN_KEYS} more` : '';
  return `a JSON object with keys ${shown.join(', ')}${more}`;
}

/**
 * The key under which an object answer holds what look like Domo's entries (an array of objects
 * with a `time` or an `actionType`), if any: the API wrapping its page (`{"entries": […]}`) is a
 * change of its answer's shape, which every request meets alike, not an address that answers
 * something else (review R-DRIFT M2).
 */
function entriesHeldBy(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (!Array.isArray(inner)) continue;
    if (looksLikeEntry(inner[0])) return key;
  }
  return undefined;
}

/** Whether an entry's object holds one of the fields every Domo entry has. */
const looksLikeEntry = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && ('time' in value || 'actionType' in value);

/**
 * Whether a body that is not JSON is newline-delimited JSON of entries (`application/x-ndjson`):
 * its first line an object with a `time` or an `actionType`, and another object after it. Read as
 * "not JSON", it was retried 6 times an hour and told as an address to check (review R-DRIFT M4).
 */
function entriesByLine(text: string): boolean {
  const body = text.trimStart();
  const end = body.indexOf('\n');
  if (
    !body.startsWith('{') ||
    end < 0 ||
    !body
      .slice(end + 1)
      .trimStart()
      .startsWith('{')
  )
    return false;
  try {
    return looksLikeEntry(JSON.parse(body.slice(0, end)));
  } catch {
    return false;
  }
}

const NEWLINE_DELIMITED =
  `${AUDIT_REQUEST} answered newline-delimited JSON (one entry a line), not the JSON array of entries ` +
  "this version reads: the Activity Log API's answer shape changed. Nothing of these hours is " +
  'written, and every run fails the same until a version that reads the new shape is installed.';

/** Keys under which an API wrapping its page holds the list, and keys that say it pages or counts. */
const LIST_KEYS = new Set(['items', 'entries', 'data', 'results', 'records']);
const PAGING_KEYS = /total|count|next|cursor|page|offset|limit|more|links/i;

/**
 * The key of an empty list under a list's name (`items`, `entries`…) beside a key that pages or
 * counts (`total`, `next`…): a wrapped page of a quiet hour, `{"items":[],"total":0}`, which has
 * no entry to show the shape by. Told as a gateway's message, it sent the on-call person to the
 * proxy on the day the API changed shape (review R-DRIFT M4).
 */
function emptyListBesidePaging(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  const list = keys.find((key) => LIST_KEYS.has(key.toLowerCase()));
  if (list === undefined) return undefined;
  const inner: unknown = (value as Record<string, unknown>)[list];
  if (!Array.isArray(inner) || inner.length > 0) return undefined;
  return keys.some((key) => key !== list && PAGING_KEYS.test(key)) ? list : undefined;
}

const emptyListShape = (value: object, key: string): string =>
  `${AUDIT_REQUEST} answered a page that is ${objectWithKeys(value)}, an empty list under ` +
  `${JSON.stringify(oneLine(key, SHOWN_KEY_CHARS))} beside keys that page or count it, not the JSON ` +
  "array of entries this version reads: the Activity Log API's answer shape changed. Nothing of " +
  'these hours is written, and every run fails the same until a version that reads the new shape is installed.';

const shapeChanged = (value: object, key: string): string =>
  `${AUDIT_REQUEST} answered a page that is ${objectWithKeys(value)}, holding what look like ` +
  `entries under ${JSON.stringify(oneLine(key, SHOWN_KEY_CHARS))}, not the JSON array of entries ` +
  "this version reads: the Activity Log API's answer shape changed. Nothing of these hours is " +
  'written, and every run fails the same until a version that reads the new shape is installed.';

/** The magic bytes that open a gzip stream and a zstd frame. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * Why a body that is compressed data, left packed, is no page: gzip served without its
 * `Content-Encoding` (a proxy that dropped the header), or zstd, which the client does not ask for
 * (`ACCEPT_ENCODING`) and Node 20's fetch does not unpack. Told as "not JSON" with the address to
 * check, it said nothing of what came (review R-DRIFT L1).
 */
function packedAs(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 2).equals(GZIP_MAGIC))
    return 'is not JSON but gzip data left packed: served without `Content-Encoding: gzip`, which a proxy may have dropped';
  if (bytes.subarray(0, 4).equals(ZSTD_MAGIC))
    return `is not JSON but zstd data left packed: a coding this client does not ask for (it asks for ${ACCEPT_ENCODING})`;
  return undefined;
}

/**
 * The codings asked for on every audit request: those Node's fetch unpacks on every runtime the
 * project runs on. Left to fetch, the runtimes may ask for different ones (a later undici adds
 * zstd), and the command line and the Lambda would read Domo's answers differently (review R-DRIFT L1).
 */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** Whether the first byte after JSON's whitespace is `[`. */
function opensAnArray(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte === 0x5b;
  }
  return false;
}

/** Retry, timeout and size settings of every request, with their defaults; bad numbers throw RangeError. */
function requestSettings(
  options: AuditClientOptions,
): Pick<
  HttpDeps,
  | 'backoff'
  | 'requestTimeoutMs'
  | 'maxAttempts'
  | 'requestDeadlineMs'
  | 'minRetryWindowMs'
  | 'userAgent'
  | 'bodyLimits'
> {
  return {
    backoff: {
      baseDelayMs: nonNegative('baseDelayMs', options.baseDelayMs ?? 500),
      maxDelayMs: nonNegative('maxDelayMs', options.maxDelayMs ?? 30_000),
      maxRetryAfterMs: nonNegative('maxRetryAfterMs', options.maxRetryAfterMs ?? 120_000),
      random: options.random,
    },
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? 30_000),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? 6),
    minRetryWindowMs: nonNegative('minRetryWindowMs', options.minRetryWindowMs ?? MINUTE_MS),
    ...(options.requestDeadlineMs === undefined
      ? {}
      : { requestDeadlineMs: positive('requestDeadlineMs', options.requestDeadlineMs) }),
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    bodyLimits: {
      maxWireBytes: positiveInteger('maxWireBytes', options.maxWireBytes ?? DEFAULT_BODY_LIMITS.maxWireBytes),
      maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? DEFAULT_BODY_LIMITS.maxBodyBytes),
    },
  };
}

/**
 * The Domo Activity Log client: `fetchPage` answers one `GET /v1/audit` page with the entries as
 * received. Handles the OAuth token, retries, the rate limit and timeouts; throws
 * `DomoConfigError` when retrying cannot help and `DomoUnavailableError` when Domo stays down.
 * Invalid options throw at once (`DomoConfigError` for apiBase and credentials, `RangeError` for
 * numbers).
 */
export function createAuditClient(options: AuditClientOptions): AuditClient {
  const credentials = checkCredentials(options.credentials);
  if (typeof options.fetch !== 'function') {
    throw new TypeError('createAuditClient needs a fetch: the entry point passes globalThis.fetch');
  }
  const { clock, sleep, pacingClock } = options;
  const log = options.log ?? silentLog;
  const scope = options.scope ?? 'audit';
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
  const configured = [
    credentials.clientSecret,
    basic,
    // The Basic credential without its `=` padding: one form that every escaping of `=` ends with,
    // however deep (Gson's `\u003d` inside a JSON string field becomes `\\u003d`).
    basic.replace(/=+$/, ''),
  ];
  const redactor = createRedactor([
    ...configured,
    // An id that does not look like one may be the secret, pasted into the wrong field.
    ...(looksLikeClientId(credentials.clientId) ? [] : [credentials.clientId]),
  ]);
  // Pages are searched for the configured credential only, never for this run's access tokens:
  // every run knows the secret alike, so an entry is stored or quarantined the same way by any
  // run, where a token is known to the one run that was issued it (see credential-entries.ts).
  const pageScan = createRedactor(configured);
  const apiBase = parseApiBase(options.apiBase ?? DEFAULT_API_BASE, redactor.scrub);
  const counters: AuditClientStats = { requests: 0, retries: 0, tokenRefreshes: 0 };

  const reportRetry = (event: RetryEvent) => {
    counters.retries++;
    if (event.status === 429) counters.throttledRetries = (counters.throttledRetries ?? 0) + 1;
    counters.lastRetry = {
      ...(event.status === undefined ? {} : { status: event.status }),
      ...(event.retryAfterMs === undefined ? {} : { retryAfterMs: event.retryAfterMs }),
    };
    log.warn('Domo request will be retried', { ...event });
    options.onRetry?.(event);
  };

  const settings = requestSettings(options);
  const deps: HttpDeps = {
    fetch: options.fetch,
    // The read holding the oldest hours is served first: only those move a catch-up's watermark.
    limiter: oldestFirstLimiter(
      createAdaptivePacer({
        maxRequestsPerSecond: options.requestsPerSecond ?? Number.POSITIVE_INFINITY,
        ...(options.minRequestsPerSecond === undefined
          ? {}
          : { minRequestsPerSecond: options.minRequestsPerSecond }),
        maxHoldMs: settings.backoff.maxRetryAfterMs,
        clock: pacingClock,
        sleep,
      }),
    ),
    pacingClock,
    clock,
    sleep,
    ...settings,
    // A throttled request is retried for as long as one request may take: its deadline.
    throttledForMs: settings.requestDeadlineMs ?? scheduleMs(settings),
    scrub: redactor.scrub,
    onRetry: reportRetry,
    ...(options.addressName === undefined ? {} : { addressName: options.addressName }),
  };
  const send: Send = (request, sendOptions) => sendRequest(deps, request, sendOptions);

  const tokens = createTokenProvider({
    apiBase,
    credentials,
    scope,
    refreshMarginMs: nonNegative('tokenRefreshMarginMs', options.tokenRefreshMarginMs ?? 120_000),
    clock,
    send,
    onIssued: redactor.add,
    ...(options.addressName === undefined ? {} : { addressName: options.addressName }),
    ...(options.credentialsSource === undefined ? {} : { credentialsSource: options.credentialsSource }),
    ...(options.tokenShelf === undefined ? {} : { shelf: options.tokenShelf }),
    scrub: redactor.scrub,
    log,
    onToken: (info) => {
      counters.tokenRefreshes++;
      log.info('Domo access token obtained', {
        clientId: looksLikeClientId(credentials.clientId)
          ? credentials.clientId
          : shownClientId(credentials.clientId),
        expiresInS: info.expires_in,
        scope: shownAnswerField(info.scope, redactor.scrub),
        role: shownAnswerField(info.role, redactor.scrub),
        customer: shownAnswerField(info.customer, redactor.scrub),
        // Not recorded with the customer (a proxy may change it): logged beside it for an audit.
        apiBase: shownApiBase(apiBase),
      });
    },
  });

  const auditRequest = (query: AuditQuery): HttpRequest<DecodedPage> => {
    const confirmed = notJsonConfirmer<DecodedPage>();
    return {
      name: AUDIT_REQUEST,
      method: 'GET',
      url: `${apiBase}/v1/audit?${new URLSearchParams({
        start: String(query.start),
        end: String(query.end),
        limit: String(query.limit),
        offset: String(query.offset),
      })}`,
      headers: { Accept: 'application/json', 'Accept-Encoding': ACCEPT_ENCODING },
      decode: (body, status) =>
        status === NO_CONTENT
          ? emptyPage()
          : confirmed(withCredentialEntries(decodeAuditPage(body, query.limit), body.bytes, pageScan)),
      handOver: [401],
      handOverOversized: true,
      // An entry asked for alone is named by its first bytes when too large (too-large-entries.ts).
      nameOversized: query.limit === 1,
      // Bytes, not entries: a page asked for fewer entries (fat ones, see MIN_PAGE_SIZE) is as large.
      sizeOf: (page) => page.bodyBytes,
      fix: (status) => auditFix(status, credentials.clientId, apiBase, options.addressName ?? 'apiBase'),
    };
  };

  /** Why a page was refused with every token tried: tokens outliving nothing, or missing rights. */
  const tokenRefusal = (result: { status: number; detail: string }, expired: boolean): DomoConfigError => {
    if (expired) {
      return new DomoConfigError(
        `${AUDIT_REQUEST}: ${MAX_TOKEN_RENEWALS + 1} access tokens in a row expired before Domo ` +
          `answered (${result.detail}): check this machine's clock and the token lifetime of API ` +
          `client ${shownClientId(credentials.clientId)}.`,
        result.status,
      );
    }
    const granted = tokens.grantedScope();
    return new DomoConfigError(
      `${AUDIT_REQUEST} refused a freshly issued token (${result.detail}): API client ` +
        `${shownClientId(credentials.clientId)} may lack the audit scope${granted === undefined ? '' : ` (granted: '${shownAnswerField(granted, redactor.scrub)}')`}` +
        ' or its owner may lack admin rights to the activity log; grant both in Domo.',
      result.status,
    );
  };

  /** One page asked once (a new token after a 401 included): the page, or a body past a cap. */
  const sendPage = async (query: AuditQuery, sendOptions: SendOptions): Promise<HttpResult<DecodedPage>> => {
    // The token of the latest attempt: retries after a backoff take a current one, so a 401 is
    // about the token sent, never about one that expired while the client waited.
    let token = '';
    // The attempt's token stays known to the redactor until the attempt's answer is read and its
    // messages are built (an attempt ends before the next one authorises, the last before `send`
    // returns), however many tokens 401s draw meanwhile (review R-HOSTFIX M2).
    let release = () => {};
    const request: HttpRequest<DecodedPage> = {
      ...auditRequest(query),
      authorize: async (attemptOptions) => {
        release();
        // The redactor knows it already: the token provider hands each one over as it is read.
        // Asked with the attempt's options: a token request has what is left of the page's time.
        token = await tokens.getToken(attemptOptions);
        release = redactor.carry(token);
        return { Authorization: `bearer ${token}` };
      },
    };
    try {
      return await sendRenewing(request, sendOptions, () => token);
    } finally {
      release();
    }
  };

  /** `request` sent, and sent again with a new token after a 401, a few times at most. */
  const sendRenewing = async (
    request: HttpRequest<DecodedPage>,
    sendOptions: SendOptions,
    tokenSent: () => string,
  ): Promise<HttpResult<DecodedPage>> => {
    let result = await send(request, sendOptions);
    // A 401 is about the token sent: the page is asked again with a new one. When that is refused
    // too, a token that had already outlived its lifetime (a short-lived token on a slow machine)
    // is renewed again, a few times; one refused while still valid means missing rights.
    for (let renewal = 1; !result.ok && !result.oversized && renewal <= MAX_TOKEN_RENEWALS; renewal++) {
      if (renewal > 1 && !tokens.expired(tokenSent())) break;
      reportRetry({
        request: AUDIT_REQUEST,
        attempt: renewal,
        status: result.status,
        reason: result.detail,
        delayMs: 0,
      });
      tokens.invalidate(tokenSent());
      result = await send(request, sendOptions);
    }
    if (!result.ok && !result.oversized) throw tokenRefusal(result, tokens.expired(tokenSent()));
    return result;
  };

  return {
    async fetchPage(query, signal, priority) {
      checkQuery(query);
      let requests = 0;
      const sendOptions = {
        ...(signal ? { signal } : {}),
        priority: priority ?? query.start,
        onRequest: () => {
          requests++;
          counters.requests++;
        },
      };
      // Each ask its own deadline: its attempts, waits, tokens and new tokens after a 401. One
      // for all up to 10 asks left the last little of what the first had spent.
      const ask = (asked: AuditQuery) =>
        sendPage(asked, { ...sendOptions, deadline: deadlineFor(deps, AUDIT_REQUEST) });
      // A body past the cap is asked again for half as many entries, down to MIN_PAGE_SIZE: an
      // hour of fat entries is read in smaller pages rather than never. Past it at that, one entry
      // at a time, one too large alone handed on as a stand-in to quarantine (too-large-entries.ts).
      for (let limit = query.limit; ; limit = Math.max(MIN_PAGE_SIZE, Math.floor(limit / 2))) {
        const result = await ask({ ...query, limit });
        if (result.ok) {
          log.debug('Domo audit page fetched', {
            start: query.start,
            end: query.end,
            offset: query.offset,
            limit,
            entries: result.value.entries.length,
            requests,
          });
          return { ...result.value, ...(limit < query.limit ? { limit } : {}), requests } satisfies AuditPage;
        }
        if (limit <= MIN_PAGE_SIZE) {
          log.warn('Domo audit page too large: asked one entry at a time', {
            start: query.start,
            end: query.end,
            offset: query.offset,
            limit,
            reason: result.detail,
          });
          const page = await pageOneByOne(query, limit, async (offset) => {
            const lone = await ask({ ...query, offset, limit: 1 });
            if (lone.ok) return { ok: true, page: lone.value };
            const head = lone.headSha256 === undefined ? {} : { headSha256: lone.headSha256 };
            return { ok: false, detail: lone.detail, ...head };
          });
          return { ...page, limit, requests };
        }
        log.warn('Domo audit page too large: asked again for fewer entries', {
          start: query.start,
          end: query.end,
          offset: query.offset,
          limit,
          reason: result.detail,
        });
      }
    },
    stats: () => ({ ...counters }),
    customer: () => {
      const customer = tokens.customer();
      // A name that holds a credential (an answer echoing it) is no name to record or quote.
      return customer !== undefined && redactor.scrub(customer) === customer ? customer : undefined;
    },
  };
}

/**
 * A field of the token answer as logs and messages show it: the answer is Domo's text like any
 * error body, so it may echo the credential sent or the token issued. Scrubbed whole, then cut to
 * one line of 100 characters. Any other JSON value is serialised again as an error body is: a
 * `role` nested thousands of levels deep overflowed `JSON.stringify`'s stack, and every token, so
 * every hour of every run, failed with a bare stack error; it is named instead.
 */
function shownAnswerField(value: unknown, scrub: (text: string) => string): string | undefined {
  if (value === undefined) return undefined;
  return oneLine(typeof value === 'string' ? scrub(value) : reserialised(value, scrub), ANSWER_FIELD_CHARS);
}

/** How to fix a refused page request; `addressName` is what sets Domo's address (see `addressName`). */
function auditFix(status: number, clientId: string, apiBase: string, addressName: string): string {
  if (status === 400)
    return 'Domo rejected the query parameters (start, end, limit, offset): check the window.';
  if (status === 403) {
    return `API client ${shownClientId(clientId)} may lack the audit scope or its owner admin rights to the activity log; grant them in Domo.`;
  }
  if (status === 404) return `No activity log endpoint at ${apiBase}/v1/audit: check ${addressName}.`;
  return `Check ${addressName} (${apiBase}) and the API client ${shownClientId(clientId)}.`;
}

function checkCredentials(credentials: DomoCredentials): DomoCredentials {
  const fix = 'set DOMO_CLIENT_ID/DOMO_CLIENT_SECRET or the Secrets Manager secret holding them.';
  if (!credentials?.clientId?.trim()) throw new DomoConfigError(`The Domo client id is empty: ${fix}`);
  const colon = credentials.clientId.indexOf(':');
  if (colon !== -1) {
    // Never shown: an id with ':' is most likely "id:secret" pasted whole, the secret after the ':'.
    throw new DomoConfigError(
      `The Domo client id contains ':' (character ${colon + 1} of ${credentials.clientId.length}), which no client id does: ` +
        'the id and the secret look pasted together as "id:secret". Put the id alone in DOMO_CLIENT_ID and the secret ' +
        'in DOMO_CLIENT_SECRET, or in the "clientId" and "clientSecret" fields of the Secrets Manager secret.',
    );
  }
  if (!credentials.clientSecret) {
    throw new DomoConfigError(
      `The Domo client secret for client ${shownClientId(credentials.clientId)} is empty: ${fix}`,
    );
  }
  const overlong = overlongFields(credentials, {
    clientId: 'the client id',
    clientSecret: 'the client secret',
  });
  if (overlong.length > 0) throw new DomoConfigError(`${overlongProblem(overlong)}: ${fix}`);
  return credentials;
}

/** The query is built by the ingest core, so a bad one is a bug there, not a configuration error. */
function checkQuery(query: AuditQuery): void {
  const { start, end, limit, offset } = query;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`audit page limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`audit page offset must be a non-negative integer, got ${offset}`);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(
      `audit window must be epoch-ms integers with 0 <= start <= end, got ${start}..${end}`,
    );
  }
}

/**
 * Node's timers wait at most 2^31-1 ms (~24.8 days): a longer delay fires after 1 ms, so a timeout
 * or backoff setting above it would silently mean "at once".
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return atMostTimer(name, value);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  }
  return atMostTimer(name, value);
}

function atMostTimer(name: string, value: number): number {
  if (value > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be at most ${MAX_TIMER_MS} ms (about 24.8 days), got ${value}`);
  }
  return value;
}
