import * as z from 'zod';
import { errorMessage } from '../error-message.ts';
import { type Clock, type DomoCredentials, type Log, silentLog } from '../ports.ts';
import type { BodyLimits } from './bounded-body.ts';
import { oneLine } from './error-detail.ts';
import { DomoConfigError, DomoUnavailableError } from './errors.ts';
import {
  type Deadline,
  type HttpRequest,
  type HttpResult,
  jsonBody,
  type SendOptions,
} from './http-request.ts';
import { shownClientId } from './shown-client-id.ts';

/**
 * The shortest token lifetime taken, in seconds. OAuth counts `expires_in` in whole seconds, so
 * less is no lifetime but a broken answer; taken, `1e-9` had a new token asked for before every
 * request. One second is the shortest a server can mean (the simulator's faults and the tests
 * issue such tokens); the audit client copes with those expiring in flight.
 */
export const MIN_TOKEN_LIFETIME_S = 1;

/**
 * The longest access token taken, in characters. Domo's tokens are JWTs of ~600-1,000 characters;
 * 16 KiB leaves 16x that for a longer claim set while keeping a token's cost small: each one is
 * learnt by the redactor (about twenty encoded forms, each a copy of its length) and sent in every
 * request's header. Uncapped, an 8,000,000-character token (printable ASCII, so well-formed) held
 * the event loop ~20 s and ~1 GB as the redactor learnt it, and with a lifetime of one second one
 * was drawn for every request: the run's deadline and signals waited on it (review R-HOSTILE2 H1).
 */
export const MAX_TOKEN_CHARS = 16 * 1024;

/**
 * Caps on the token endpoint's answer: a token of {@link MAX_TOKEN_CHARS} and Domo's few other
 * fields fit many times over, where the page's 8 MiB let a token answer of megabytes be read and
 * parsed before the schema could refuse it.
 */
export const TOKEN_BODY_LIMITS: BodyLimits = {
  maxWireBytes: 64 * 1024,
  maxBodyBytes: 64 * 1024,
  name: 'the cap on a token answer',
};

/** A field's fault: absent, or present with the wrong type. */
const absentOr =
  (wrong: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is missing' : wrong;

/**
 * Domo's OAuth token answer. Only the token and its lifetime are required; the other documented
 * fields (`token_type`, `scope`, `customer`, `role`, `userId`, `jti`, `env`…) are kept as sent.
 * The token must be printable ASCII without spaces: it goes into a header, and a header error
 * would quote it. Each field's fault is worded for the retry and error messages, and never quotes
 * the token: only the lifetime, a number, is shown.
 */
export const tokenResponseSchema = z.lazy(() =>
  z.looseObject(
    {
      access_token: z
        .string({ error: absentOr('is not a string') })
        // Its length checked first, so the pattern never runs over a token it refuses anyway.
        .max(MAX_TOKEN_CHARS, {
          error: (issue) =>
            `is ${String(issue.input).length} characters long, more than the ${MAX_TOKEN_CHARS} a token may have`,
          abort: true,
        })
        .regex(/^[\x21-\x7e]+$/, { error: 'is not printable ASCII without spaces' }),
      expires_in: z.number({ error: absentOr('is not a number of seconds') }).min(MIN_TOKEN_LIFETIME_S, {
        error: (issue) => `is ${issue.input} s, under the ${MIN_TOKEN_LIFETIME_S} s a token must last`,
      }),
      token_type: z.string({ error: 'is not a string' }).optional(),
      scope: z.string({ error: 'is not a string' }).optional(),
    },
    { error: 'is not a JSON object' },
  ),
);

/** The first fault of a refused token answer: the field named, and what is wrong with it. */
const tokenAnswerFault = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'refused';
  return issue.path.length === 0 ? `it ${issue.message}` : `${issue.path.join('.')} ${issue.message}`;
};

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Sends one logical request with the client's retries (`sendRequest` bound to the client's deps). */
export type Send = <T>(request: HttpRequest<T>, options?: SendOptions) => Promise<HttpResult<T>>;

export interface TokenProviderOptions {
  /** Without trailing slash. */
  apiBase: string;
  credentials: DomoCredentials;
  /** Space-separated scopes to ask for; empty asks for all of the client's scopes. */
  scope: string;
  /** Renew this long before `expires_in` runs out (at most half the lifetime). */
  refreshMarginMs: number;
  clock: Clock;
  send: Send;
  /**
   * Called with each new token as soon as it is read, before anything else sees the answer: the
   * redactor learns it there, since the answer's other fields may echo it into a log line.
   */
  onIssued?: (token: string) => void;
  /**
   * Called with each new token's answer minus the token itself, for stats and logs. A throw in it is
   * logged as a warning on `log`: the token is good whatever its logging does.
   */
  onToken?: (info: Omit<TokenResponse, 'access_token'>) => void;
  /**
   * What a refused token request's advice tells the reader to check for Domo's address: default
   * `apiBase` (the Lambda's setting); the CLI names its flag (`--api-base`).
   */
  addressName?: string;
  /**
   * Where the client id and secret come from, as the advice of a refused token request names it:
   * the function names its secret, the CLI its variables or the secret it read them from. Never
   * their values. Default {@link CREDENTIALS_SOURCE}.
   */
  credentialsSource?: string;
  /** Where a failed `onToken` is reported; default silent. */
  log?: Log;
  /**
   * Applied to a failed `onToken`'s message before it is logged: the error may quote the answer,
   * so the token or the credentials (the client's redactor, which learns each token in `onIssued`).
   */
  scrub: (text: string) => string;
  /**
   * Where the token outlives this provider, for the next provider of the same credentials to start
   * with: the Lambda keeps one per container and secret value (module scope, memory only), so a run
   * after a warm start asks Domo for no token while the last one lives (review OUTAGE3).
   */
  shelf?: TokenShelf;
}

/** A token and what its answer said, as a provider keeps it. */
export interface KeptToken {
  token: string;
  refreshAt: number;
  expiresAt: number;
  scope?: string;
  customer?: string;
}

/** The last token of one set of credentials, handed from one provider to the next; never stored. */
export interface TokenShelf {
  kept?: KeptToken;
}

/** Hands out a cached OAuth access token and fetches a new one when needed. */
export interface TokenProvider {
  /** A valid token; concurrent callers share one token request. */
  getToken(options?: SendOptions): Promise<string>;
  /** Forgets `token` after Domo rejected it (401), unless a newer token already replaced it. */
  invalidate(token: string): void;
  /** True when `token`, one of the last few this provider issued, has outlived its lifetime now. */
  expired(token: string): boolean;
  /** The scopes Domo granted the current token, as it reported them. */
  grantedScope(): string | undefined;
  /**
   * The Domo customer (instance) the current token's answer names: what binds a lake to one
   * instance (ingest/instance-binding.ts). Undefined before the first token, or when the answer
   * names none usable (absent, not a string, empty or longer than {@link MAX_CUSTOMER_CHARS}).
   */
  customer(): string | undefined;
}

/** The longest `customer` taken from a token answer: Domo's are short names; this is a bound. */
export const MAX_CUSTOMER_CHARS = 256;

/** The answer's `customer` when it is a name the lake can record. */
const customerOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_CUSTOMER_CHARS ? value : undefined;

/** The token request in flight, shared by every caller waiting on it. */
interface Inflight {
  promise: Promise<KeptToken>;
  /** Aborts the request: done when the last caller waiting on it gives up. */
  controller: AbortController;
  /** Callers waiting on it, counted down as each gives up (one without a signal never does). */
  waiting: number;
  /**
   * Its own deadline, the latest of its callers' (none once a caller without one joins): a caller
   * that joins with more time left than the first must not fail on the first's (review
   * R-DEADLINE2). Read from theirs, never written to theirs.
   */
  deadline: Deadline | undefined;
}

export const TOKEN_REQUEST = 'POST /oauth/token';

/** Where credentials come from when the caller does not say: every place they can be set. */
export const CREDENTIALS_SOURCE =
  'DOMO_CLIENT_ID/DOMO_CLIENT_SECRET or the Secrets Manager secret holding them';
/**
 * Tokens whose expiry is remembered after they are replaced: the ones requests may still carry.
 * The redactor keeps the forms of as many (`REMEMBERED_ADDED`).
 */
export const REMEMBERED_TOKENS = 8;

/**
 * Whether a failure's `message` is a token refused for its client id or secret: a 401, or OAuth's
 * `invalid_client`. Only a new secret ends it, so a caller's advice about retrying is beside it.
 */
export const refusesCredentials = (message: string): boolean =>
  ['Domo rejected the credentials', 'Domo answered OAuth error invalid_client'].some((words) =>
    message.includes(words),
  );

/** OAuth client credentials against `{apiBase}/oauth/token`: POST, form body, HTTP Basic. */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { apiBase, credentials, scope, refreshMarginMs, clock, send } = options;
  const log = options.log ?? silentLog;
  const { clientId } = credentials;
  const client = `API client ${shownClientId(clientId)}`;
  const source = options.credentialsSource ?? CREDENTIALS_SOURCE;
  /** Expiry of each recent token, by token. */
  const issued = new Map<string, number>();
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope) form.set('scope', scope);
  const request: HttpRequest<TokenResponse> = {
    name: TOKEN_REQUEST,
    method: 'POST',
    url: `${apiBase}/oauth/token`,
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${credentials.clientSecret}`, 'utf8').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: form.toString(),
    decode: jsonBody(tokenResponseSchema, 'an OAuth token answer', tokenAnswerFault),
    bodyLimits: TOKEN_BODY_LIMITS,
    quoteBody: false,
    judgeLatency: false,
    handOver: [401],
    fix: (status, body) =>
      tokenFix(status, body, {
        client,
        scope,
        apiBase,
        addressName: options.addressName ?? 'apiBase',
        source,
      }),
  };

  const { shelf } = options;
  // A token an earlier provider of these credentials was issued, while it lives: the redactor
  // learns it first, as it learns every token as it is read.
  let cached: KeptToken | undefined =
    shelf?.kept && clock.now() < shelf.kept.expiresAt ? shelf.kept : undefined;
  if (cached) {
    options.onIssued?.(cached.token);
    issued.set(cached.token, cached.expiresAt);
  }
  /** The last token issued, which `invalidate` does not forget. */
  let lastIssued: KeptToken | undefined = cached;
  let inflight: Inflight | undefined;
  /**
   * The earlier run's token until it is first handed out, when the log says so. Said when the
   * provider was made, it was logged by every run, three in four of which (no new hour) use no
   * token: a log read during a secret's rotation showed the old client's token in use (review ROTATE).
   */
  let unannounced = cached?.token;
  const handOut = (kept: KeptToken): string => {
    if (kept.token === unannounced) {
      unannounced = undefined;
      log.info('Domo access token of an earlier run reused', {
        expiresInS: Math.floor((kept.expiresAt - clock.now()) / 1000),
      });
    }
    return kept.token;
  };

  const fetchToken = async (sendOptions: SendOptions & { signal: AbortSignal }): Promise<KeptToken> => {
    const startedAt = clock.now();
    const result = await send(request, sendOptions);
    // An answer that came as every caller gave up is dropped: no caller wants it, and a run that
    // stopped must not log a new token after its summary.
    sendOptions.signal.throwIfAborted();
    if (!result.ok) {
      throw new DomoConfigError(
        `Domo rejected the credentials of ${client} (${TOKEN_REQUEST}: ${result.detail}): check ${source}.`,
        result.status,
      );
    }
    const { access_token: token, ...info } = result.value;
    options.onIssued?.(token);
    const lifetimeMs = info.expires_in * 1000;
    const customer = customerOf(info.customer);
    const fresh: KeptToken = {
      token,
      refreshAt: startedAt + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 2),
      expiresAt: startedAt + lifetimeMs,
      ...(info.scope === undefined ? {} : { scope: info.scope }),
      ...(customer === undefined ? {} : { customer }),
    };
    cached = fresh;
    lastIssued = fresh;
    if (shelf) shelf.kept = fresh;
    issued.set(token, fresh.expiresAt);
    for (const old of issued.keys()) if (issued.size > REMEMBERED_TOKENS) issued.delete(old);
    reportToken(info);
    return fresh;
  };

  /**
   * Starts the one token request callers share. It has its own signal, not the first caller's:
   * others join it, and it is aborted (retries and backoff included) only once all have given up.
   * It has its own deadline too, set from the first caller's and moved later by each caller that
   * joins with a later one (see `join`): a token asked for by a page's retry has the time that page
   * has left, not a request's full retries of its own in every retry (review R-HOSTILE).
   */
  const startRequest = ({ onRequest, deadline: theirs }: SendOptions): Inflight => {
    const controller = new AbortController();
    // A copy: the token request moves its own later by its waits for the rate limiter.
    const deadline: Deadline | undefined = theirs && { ...theirs, request: TOKEN_REQUEST, pacedMs: 0 };
    const promise = fetchToken({
      signal: controller.signal,
      ...(onRequest ? { onRequest } : {}),
      ...(deadline ? { deadline } : {}),
    }).finally(() => {
      if (inflight === shared) inflight = undefined;
    });
    // Callers that gave up, and an abandoned request, must not leave the rejection unhandled.
    promise.catch(() => {});
    const shared: Inflight = { promise, controller, waiting: 0, deadline };
    return shared;
  };

  /** A caller joins `shared`: its deadline becomes the later of the two, or none if it has none. */
  const join = (shared: Inflight, theirs: Deadline | undefined): Inflight => {
    if (!shared.deadline) return shared;
    if (!theirs) shared.deadline.at = Number.POSITIVE_INFINITY;
    else shared.deadline.at = Math.max(shared.deadline.at, theirs.at);
    return shared;
  };

  /**
   * Settles like the shared request, or rejects with the caller's abort reason as soon as it
   * aborts. The last caller to give up aborts the request and frees the slot, so the next caller
   * starts a new one instead of joining a request on its way out.
   */
  const waitFor = (shared: Inflight, signal: AbortSignal | undefined): Promise<KeptToken> => {
    shared.waiting++;
    // A caller without a signal never gives up: it keeps the request alive to its end.
    if (!signal) return shared.promise;
    return new Promise<KeptToken>((resolve, reject) => {
      let settled = false;
      const giveUp = () => {
        if (settled) return;
        settled = true;
        reject(signal.reason);
        if (--shared.waiting > 0) return;
        if (inflight === shared) inflight = undefined;
        shared.controller.abort(signal.reason);
      };
      signal.addEventListener('abort', giveUp, { once: true });
      shared.promise
        .then(
          (value) => {
            settled = true;
            resolve(value);
          },
          (error: unknown) => {
            settled = true;
            reject(error);
          },
        )
        .finally(() => signal.removeEventListener('abort', giveUp));
    });
  };

  /**
   * Runs `onToken`, which only logs and counts. A throw in it (a log call overflowing the stack on a
   * deeply nested answer did) failed the token request every time a token was fetched, hourly.
   */
  const reportToken = (info: Omit<TokenResponse, 'access_token'>): void => {
    try {
      options.onToken?.(info);
    } catch (error) {
      try {
        log.warn('Reporting a new Domo access token failed; the token is used', {
          // Scrubbed whole, before it is cut: a secret cut in half is no longer recognisable.
          error: oneLine(options.scrub(errorMessage(error)), 200),
        });
      } catch {
        // The logger itself may be what threw; the token is good all the same.
      }
    }
  };

  /**
   * The token held past its refresh time, when Domo's token endpoint is down and it still lives:
   * used until it expires, with no new request before then (each would wait its retries again).
   * Refused credentials, or a token already gone, fail as before.
   */
  const stillValid = (held: KeptToken | undefined, error: unknown): KeptToken | undefined => {
    if (!(error instanceof DomoUnavailableError) || !held || cached?.token !== held.token) return undefined;
    if (clock.now() >= held.expiresAt) return undefined;
    log.warn('Domo did not issue a new access token; the current one is used until it expires', {
      expiresInS: Math.floor((held.expiresAt - clock.now()) / 1000),
    });
    cached = { ...held, refreshAt: held.expiresAt };
    return cached;
  };

  return {
    async getToken(sendOptions = {}) {
      sendOptions.signal?.throwIfAborted();
      if (cached && clock.now() < cached.refreshAt) return handOut(cached);
      const held = cached;
      inflight = inflight ? join(inflight, sendOptions.deadline) : startRequest(sendOptions);
      try {
        return (await waitFor(inflight, sendOptions.signal)).token;
      } catch (error) {
        const fallback = stillValid(held, error);
        if (fallback === undefined) throw error;
        return handOut(fallback);
      }
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
      if (shelf?.kept?.token === token) shelf.kept = undefined;
    },
    expired(token) {
      const expiresAt = issued.get(token);
      return expiresAt !== undefined && clock.now() >= expiresAt;
    },
    grantedScope: () => cached?.scope,
    // Kept past `invalidate`: a token forgotten after a 401 was still issued for that customer.
    customer: () => lastIssued?.customer,
  };
}

/**
 * The error codes of an OAuth token endpoint (RFC 6749 §5.2). Only these are named in a message:
 * each is a fixed token of the standard, so naming one echoes nothing the server made up, and the
 * token endpoint's body is never quoted otherwise (it may echo the credentials).
 */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/** What a token refusal's body says: its OAuth error code, and whether it blames the scope. */
interface TokenRefusal {
  code?: string;
  blamesScope: boolean;
}

/**
 * How to fix a refused token request. A 400 is what OAuth answers a scope the client may not ask
 * for (`invalid_scope`; the simulator says so in words), and some servers answer bad credentials
 * with it too: the body picks the advice, so a client missing its scope is not told to rotate a
 * correct secret, nor is one whose request Domo no longer takes in that form (review R-API: a 400
 * `unsupported_grant_type` sent the reader to check the secret). The body is never quoted: it may
 * echo the credentials; only its OAuth error code is named.
 */
/** What {@link tokenFix} names: the client, what it asked for, where its address and credentials are set. */
interface TokenAbout {
  client: string;
  scope: string;
  apiBase: string;
  addressName: string;
  /** Where the credentials come from ({@link TokenProviderOptions.credentialsSource}). */
  source: string;
}

function tokenFix(status: number, body: string, about: TokenAbout): string {
  const refusal = readRefusal(body);
  const named = refusal.code === undefined ? '' : `Domo answered OAuth error ${refusal.code}. `;
  return named + tokenAdvice(status, refusal, about);
}

/** The advice of {@link tokenFix}, by the status and what the body says. */
function tokenAdvice(
  status: number,
  refusal: TokenRefusal,
  { client, scope, apiBase, addressName, source }: TokenAbout,
): string {
  // Both places README's Prerequisites name: the instance's admin page, Domo's documented place now,
  // and the developer portal Domo says it will remove, where older clients were made.
  const grantScope =
    'grant it the audit scope where it was made (Admin → Authentication → API Clients, or developer.domo.com, My Account)';
  const checkCredentials = `check ${source}`;
  if (status === 403 || (status === 400 && refusal.blamesScope)) {
    const asked = scope ? `scope '${scope}'` : 'its scopes';
    return `The ${client} may not request ${asked}: ${grantScope}.`;
  }
  if (status === 400) {
    switch (refusal.code) {
      case 'unsupported_grant_type':
      case 'invalid_request':
        return (
          "The token endpoint refused the request's form (Domo may have changed its OAuth endpoint), not " +
          `the id or secret of the ${client}: check that ${addressName} (${apiBase}) is Domo's API, and look for ` +
          'a newer version of this tool.'
        );
      case 'unauthorized_client':
        return (
          `The ${client} is not allowed the client-credentials grant (its id and secret are not in question): ` +
          'allow it that grant in Domo, or use an API client that has it.'
        );
      case 'invalid_client':
        return `Domo did not accept the id or secret of the ${client}: ${checkCredentials}.`;
    }
    return (
      `Domo refused the token request: the ${client} may lack the audit scope (${grantScope}), or its id or ` +
      `secret is wrong (${checkCredentials}).`
    );
  }
  if (status === 404) return `No token endpoint at ${apiBase}: check ${addressName}.`;
  return `Check ${addressName} (${apiBase}) and the ${client}.`;
}

/**
 * Reads a token refusal's JSON body: OAuth's `error` when it is one of the codes of RFC 6749, and
 * whether it blames the scope (`invalid_scope`, or a message naming it).
 */
function readRefusal(body: string): TokenRefusal {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { blamesScope: false };
  }
  if (typeof parsed !== 'object' || parsed === null) return { blamesScope: false };
  const { error, error_description: description, message } = parsed as Record<string, unknown>;
  if (typeof error === 'string' && OAUTH_ERRORS.has(error)) {
    return { code: error, blamesScope: error === 'invalid_scope' };
  }
  // An OAuth-like code that names another fault is that fault, whatever its description mentions
  // of the scope; a framework's 'Bad Request' is no such code.
  if (typeof error === 'string' && /^[a-z_]+$/.test(error)) return { blamesScope: false };
  const blamesScope = [description, message].some((text) => typeof text === 'string' && /scope/i.test(text));
  return { blamesScope };
}
