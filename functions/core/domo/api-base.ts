import { DomoConfigError } from './errors.ts';

export const DEFAULT_API_BASE = 'https://api.domo.com';

/**
 * Why `value` cannot be the Domo API base, in words that do not repeat it (the caller shows it as
 * it may); undefined when it can. The one check the command line and the Lambda both go through.
 */
export function apiBaseProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL: use e.g. ${DEFAULT_API_BASE}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `must be an http(s) URL, e.g. ${DEFAULT_API_BASE}`;
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    // The host is not repeated: a secret pasted as the host (`http://<secret>`) would be shown.
    return `uses http:// to a host that is not this machine, which would send the Domo client secret in cleartext: use https:// (http:// is only for a loopback host, 127.0.0.0/8, ::1 or localhost, such as the simulator)`;
  }
  if (url.username || url.password) {
    return 'must not carry a user name or password ("user:password@"): credentials never go in the URL; the Domo client id and secret go in DOMO_CLIENT_ID and DOMO_CLIENT_SECRET or in the Secrets Manager secret';
  }
  if (url.search || url.hash) {
    return `must be a plain http(s) URL without query or fragment, e.g. ${DEFAULT_API_BASE}`;
  }
  return domoWebAddressProblem(url.hostname);
}

/**
 * Why `hostname` is a Domo instance's web address (`acme.domo.com`, what a browser shows), or Domo's
 * own site (`domo.com`), rather
 * than its API: the activity log is served by Domo's API host for every instance, and the web
 * address answers each request with a sign-in page or 404, so every run would fail (review R-OP2).
 */
export function domoWebAddressProblem(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const domo = host === 'domo.com' || host.endsWith('.domo.com');
  if (!domo || host.startsWith('api.')) return undefined;
  return `is a Domo web address, not the API: the activity log of every instance is at ${DEFAULT_API_BASE} (the instance is chosen by the client id and secret)`;
}

/**
 * Whether a URL's hostname is this machine: there http:// never leaves it. The URL parser has
 * already turned other spellings of an IPv4 address (`2130706433`, `0x7f.1`) into dotted form.
 */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * `value` fit to show in a message: a user name and password in it (`https://user:pw@host`) become
 * `***`, and so do a query and a fragment (`?access_token=…`), where a token pasted with the URL
 * would be. A value that is no http(s) URL with a host is never shown as given: without an `@` it
 * is `***` whole (but for its `http(s)://`), as it may be `<id>:<secret>` or the secret itself.
 * Only an http(s) URL with a host whose one `@` (if any) ends the userinfo the parser read is
 * shown from the parser's reading: `https:\\u:pw@host`, `https:u:pw@host` and
 * `https:/u:pw@host` all carry userinfo without a `//` before it. Any other value holding an `@`
 * is masked from its start (or its `http(s):`, or a scheme and `//`) to its last `@`, since where
 * its userinfo ends cannot be told: `id:secret@host` parses as scheme `id:` and an opaque path, and
 * a `#` or `?` in a password (`https://u:hun#ter2@host`) ends the authority early, so cutting the
 * query or fragment first would show `hun`. Query and fragment are cut only after that.
 */
export function shownApiBase(value: string): string {
  const url = parsedHttpUrl(value);
  if (url === undefined) return value.includes('@') ? withoutUserinfo(value) : masked(value);
  const userinfo = url.username !== '' || url.password !== '';
  const atAfterHost = /@/.test(url.pathname + url.search + url.hash);
  if (value.includes('@') && (!userinfo || atAfterHost)) return withoutUserinfo(value);
  const queryAt = value.search(/[?#]/);
  const base = queryAt < 0 ? value : value.slice(0, queryAt);
  const rest = queryAt < 0 ? '' : `${value[queryAt]}***`;
  if (!userinfo) return base + rest;
  // The path as given: the parser adds a `/` to a bare host, which the value shown should not.
  const path = url.pathname === '/' && !/[/\\]$/.test(base) ? '' : url.pathname;
  return `${url.protocol}//***@${url.host}${path}${rest}`;
}

/** `value` as the URL parser reads it, when that is an http(s) URL with a host. */
function parsedHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.host !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A value that is no http(s) URL with a host and holds no `@`, hidden but for a leading `http(s):`
 * and `//`: `<id>:<secret>` (read as scheme `<id>:`), `https://<id>:<secret>` (a port that is no
 * number) and the bare secret are such values, and no part of them can be told safe to show.
 */
function masked(value: string): string {
  const kept = /^\s*(https?:(?:\/\/)?)/i.exec(value)?.[1] ?? '';
  return `${kept}***`;
}

/**
 * Everything that could be userinfo in a value holding an `@`: from the start to the last `@`,
 * keeping only a leading `http(s):` or a scheme and `//` (an id or secret pasted first would look
 * like a scheme: `<id>:<secret>@host`); then its query and fragment.
 */
function withoutUserinfo(text: string): string {
  const kept = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|https?:)/i.exec(text)?.[0] ?? '';
  const host = text.slice(text.lastIndexOf('@') + 1);
  const queryAt = host.search(/[?#]/);
  return `${kept}***@${queryAt < 0 ? host : `${host.slice(0, queryAt + 1)}***`}`;
}

/**
 * The API base as requests use it: origin and path, without trailing slashes.
 *
 * @throws DomoConfigError saying what is wrong; `scrub` takes the client secret out of the value shown.
 */
export function parseApiBase(value: string, scrub: (text: string) => string): string {
  const problem = apiBaseProblem(value);
  if (problem !== undefined) throw new DomoConfigError(`apiBase '${shownApiBase(scrub(value))}' ${problem}.`);
  const url = new URL(value);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
