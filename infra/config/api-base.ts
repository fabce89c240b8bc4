import { domoWebAddressProblem } from '../../functions/core/domo/api-base.ts';
import { isDomainName } from '../report/ses-identities.ts';

/** Where the Domo public API lives unless an instance says otherwise. */
export const DEFAULT_DOMO_API_BASE = 'https://api.domo.com';

/**
 * A host name written alone or after `http://` (`api.domo.com`): the parts of the API base that
 * are safe to show and to quote in the fix, since a client id or secret holds no dot-separated
 * name of letters. Undefined for anything else.
 */
export function plainApiHost(value: unknown): { scheme: string; host: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(https?:\/\/)?([^/\s]+)\/?$/i.exec(value);
  const host = match?.[2];
  return host !== undefined && isDomainName(host) ? { scheme: match?.[1] ?? '', host } : undefined;
}

/** The refusal of an API base that is no https URL, with the URL to write when it is a host name. */
export function apiBaseUrlError(input: unknown): string {
  const plain = plainApiHost(input);
  if (plain === undefined) return 'must be an https URL such as "https://api.domo.com"';
  // The host first: "https://acme.domo.com", offered for "acme.domo.com", was refused next (R-CONFIG2 L3).
  const web = domoWebAddressProblem(plain.host);
  if (web !== undefined) return `${web}: write "${DEFAULT_DOMO_API_BASE}"`;
  const what = plain.scheme === '' ? 'is a host name without its scheme' : 'must be an https URL';
  return `${what}: write "https://${plain.host}"`;
}

/**
 * {@link domoWebAddressProblem} of an https URL's host; undefined for one that does not parse or
 * is no https URL, as {@link apiBaseUrlError} says then, one fix for both (R-CONFIG2 L3).
 */
export function webAddressProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? domoWebAddressProblem(url.hostname) : undefined;
  } catch {
    return undefined;
  }
}

/** The URL `value` names, or undefined when it is none (the URL check has its own message). */
const urlOf = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

/** Whether a URL names a user or password before its host. */
export const hasUserInfo = (value: string): boolean => {
  const url = urlOf(value);
  return url !== undefined && (url.username !== '' || url.password !== '');
};

/**
 * The origin (scheme and host, never the user info or path) of a URL with a path beyond "/", or
 * undefined: the API base is Domo's origin alone.
 */
export const originWithPath = (value: string): string | undefined => {
  const url = urlOf(value);
  // Only an https URL with a host: anything else has its own refusal, and may be a secret.
  if (url?.protocol !== 'https:' || url.host === '' || hasUserInfo(value)) return undefined;
  return url.pathname.replace(/\/+$/, '') !== '' ? url.origin : undefined;
};

export const apiBasePathError = (origin: string): string =>
  `must be the API's address without a path (such as "/v1"): the function adds the paths of Domo's API to it, so a path makes every run fail. Write "${origin}"`;

/** Whether a URL has a query or fragment, which the function's client refuses in its API base. */
export const hasQueryOrFragment = (value: string): boolean => {
  const url = urlOf(value);
  return url !== undefined && (url.search !== '' || url.hash !== '');
};
