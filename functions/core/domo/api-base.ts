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
    return `uses http:// to ${url.hostname}, which would send the Domo client secret in cleartext: use https:// (http:// is only for a loopback host, 127.0.0.0/8, ::1 or localhost, such as the simulator)`;
  }
  if (url.username || url.password) {
    return 'must not carry a user name or password ("user:password@"): credentials never go in the URL; the Domo client id and secret go in DOMO_CLIENT_ID and DOMO_CLIENT_SECRET or in the Secrets Manager secret';
  }
  if (url.search || url.hash) {
    return `must be a plain http(s) URL without query or fragment, e.g. ${DEFAULT_API_BASE}`;
  }
  return undefined;
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
 * would be. A URL is masked from what the parser read, not from its spelling: `https:\\u:pw@host`,
 * `https:u:pw@host` and `https:/u:pw@host` all carry userinfo without a `//` before it. A value
 * that is not a URL is cut from its scheme (or `//`) to its last `@`, since where its userinfo ends
 * cannot be told.
 */
export function shownApiBase(value: string): string {
  const queryAt = value.search(/[?#]/);
  const base = queryAt < 0 ? value : value.slice(0, queryAt);
  const rest = queryAt < 0 ? '' : `${value[queryAt]}***`;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return withoutUserinfo(base) + rest;
  }
  if (!url.username && !url.password) return base + rest;
  // The path as given: the parser adds a `/` to a bare host, which the value shown should not.
  const path = url.pathname === '/' && !/[/\\]$/.test(base) ? '' : url.pathname;
  return `${url.protocol}//***@${url.host}${path}${rest}`;
}

/** Everything that could be userinfo in text that is not a URL: from `//` or the scheme to the last `@`. */
function withoutUserinfo(text: string): string {
  if (/\/\/.*@/s.test(text)) return text.replace(/\/\/.*@/s, '//***@');
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:)?.*@/s, '$1***@');
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
