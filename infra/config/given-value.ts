import type * as z from 'zod';
import { shownApiBase } from '../../functions/core/domo/api-base.ts';
import { plainApiHost } from './api-base.ts';

/**
 * Keys whose value may be a credential pasted in the wrong place (the secret's JSON instead of its
 * name): an error about them never repeats the value, as synth output lands in CI logs.
 */
const UNSHOWN_KEYS = new Set<PropertyKey>(['secret']);

/**
 * A bad value as the error quotes it: short, with any URL's user and password masked, and a
 * URL's query and fragment too, where a token pasted with it would be.
 */
const describeValue = (value: unknown, path: readonly PropertyKey[]): string => {
  if (value === undefined) return 'nothing';
  if (UNSHOWN_KEYS.has(path.at(-1) ?? '')) return 'a value not shown here, as it may be a credential';
  const text = JSON.stringify(withUrlsMasked(value, path.at(-1))).replace(/\/\/[^/@\s"]*@/g, '//***@');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * What a cross-field check judged, for the error to quote when the key was left out: the default
 * it found there, which "(got nothing)" would hide.
 */
export const inEffect = (value: unknown): { inEffect: unknown } => ({ inEffect: value });

/** The bad value as given, or, left out, the default a cross-field check judged. */
export const describeGiven = (issue: z.core.$ZodIssue, given: unknown): string => {
  const judged = issue.code === 'custom' ? issue.params?.inEffect : undefined;
  if (given === undefined && judged !== undefined) {
    return `nothing, so the default ${describeValue(judged, issue.path)}`;
  }
  return describeValue(given, issue.path);
};

/**
 * Whether a string may be a URL with userinfo: any string holding `//`, or an `@` and a `:`,
 * whatever comes before them. The URL parser reads `https:\\u:pw@host`, `https:u:pw@host` and
 * `https:/u:pw@host` as `https://u:pw@host` and skips leading whitespace, and `id:secret@host` has
 * no `//` and a scheme that is the client id. A string with an `@` but neither is left alone: it
 * is an e-mail address, whose mistake (`ops@example.com `, `a@x.com, b@x.com`) a mask would hide.
 */
const mayBeUrl = (text: string): boolean => /\/\//.test(text) || (text.includes('@') && text.includes(':'));

/** The key whose value is the Domo API base: whatever is there is shown only as the API base may be. */
const API_BASE_KEY = 'apiBase';

/**
 * `value` with every URL in it, however deep (a list or object given where a string was due),
 * masked, and the API base masked whatever it holds (`<id>:<secret>` or the bare secret pasted
 * there look like no URL; an http:// one, always refused, by its scheme alone: its host may be the
 * secret, `http://<secret>`). Strings are shown as given, untrimmed: a stray space is the mistake.
 */
const withUrlsMasked = (value: unknown, key?: PropertyKey): unknown => {
  if (typeof value === 'string') {
    // A host name is no credential, and the reader needs to see it (review R-FIRST L3).
    if (key === API_BASE_KEY && plainApiHost(value) !== undefined) return value;
    if (key === API_BASE_KEY && /^\s*http:\/\//i.test(value)) return 'http://***';
    return key === API_BASE_KEY || mayBeUrl(value) ? shownApiBase(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => withUrlsMasked(item, key));
  if (value !== null && typeof value === 'object') {
    // Everything under the API base is the API base's, however deep.
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        withUrlsMasked(item, key === API_BASE_KEY ? key : name),
      ]),
    );
  }
  return value;
};
