import type { Decoded } from './http-request.ts';
import type { Redactor } from './redactor.ts';

/** What a page decodes to: the entries and each one's text as served, parallel. */
interface PageEntries {
  entries: unknown[];
  entryTexts: string[];
  credentialEntries?: number[];
}

/**
 * Shortest credential form looked for in a page: shorter ones (a test's one-letter secret, its
 * two-character Base64) match ordinary text. Real ones are far longer: Domo's secrets are 64 hex
 * digits, its tokens longer still.
 */
export const MIN_CREDENTIAL_FORM = 8;

/**
 * The page with every entry that holds one of `scan`'s credential forms scrubbed (by `scan` only),
 * and its index listed in `credentialEntries`: an API that echoes the request's Authorization
 * header into an entry would otherwise have the credential stored in the lake, in `raw` and in the
 * columns, for as long as the lake keeps it. The ingest quarantines those entries with their text
 * scrubbed.
 *
 * `scan` must know only what every run knows alike, the client secret and the Basic credential,
 * never a run's access tokens: a token is known to the one run it was issued to, so an entry
 * echoing it would be quarantined (id: the hash of the scrubbed text) by that run and stored (id:
 * the hash of the text as served) by any other, one entry in both tables. Tokens expire within
 * the hour, so one echoed into the lake is dead by the time anyone reads it; the secret is not.
 * Fixed forms also bound the cost: they do not grow with every token of a long run.
 *
 * One search of the body's bytes per form, so a clean page (every page, in practice) costs a few
 * `indexOf`s over bytes already in memory; only a page holding a form is looked at entry by entry.
 * A `\u` escape can spell any character, a letter or a digit too, so no fixed list of forms covers a
 * secret written with such escapes: a page holding `\u` (one more search of its bytes) has each
 * entry that holds one searched again with its escapes decoded.
 */
export function withCredentialEntries<T extends PageEntries>(
  page: Decoded<T>,
  body: Buffer,
  scan: Redactor,
): Decoded<T> {
  if (!page.ok) return page;
  const forms = scan.forms().filter((form) => form.length >= MIN_CREDENTIAL_FORM);
  const found = forms.filter((form) => body.includes(form));
  const escaped = body.includes(ESCAPE);
  if (found.length === 0 && !escaped) return page;
  const search: Search = { found, escapedForms: escaped ? forms : [], scan };
  const { entries, entryTexts } = page.value;
  const credentialEntries: number[] = [];
  for (let i = 0; i < entryTexts.length; i++) {
    const text = entryTexts[i] as string;
    const scrubbed = scrubbedEntry(text, search);
    if (scrubbed === text) continue;
    entryTexts[i] = scrubbed;
    entries[i] = parsedOrText(scrubbed);
    credentialEntries.push(i);
  }
  return credentialEntries.length === 0 ? page : { ok: true, value: { ...page.value, credentialEntries } };
}

/** The escape's start as it is in a page's bytes and in an entry's text. */
const ESCAPE = '\\u';

/**
 * A `\u` escape at any depth: a JSON document inside a string field has its escapes escaped once
 * more (`\\u0053`), so any run of backslashes counts. The lookbehind has a run matched from its
 * start only, so a hostile run of backslashes costs linear time, not quadratic.
 */
const ESCAPES = /(?<!\\)\\+u([0-9A-Fa-f]{4})/g;

/** The forms found in the page's bytes; every form when the page holds an escape, else none. */
interface Search {
  found: readonly string[];
  escapedForms: readonly string[];
  scan: Redactor;
}

/** The entry's text with every credential form scrubbed; the text itself when it holds none. */
function scrubbedEntry(text: string, { found, escapedForms, scan }: Search): string {
  const plain = found.some((form) => text.includes(form)) ? scan.scrub(text) : text;
  if (escapedForms.length === 0 || !plain.includes(ESCAPE)) return plain;
  const decoded = plain.replace(ESCAPES, decodedEscape);
  if (!escapedForms.some((form) => decoded.includes(form))) return plain;
  // Letters and digits written plainly, the other escapes in one hex case: still JSON, the entry
  // as served otherwise, and the redactor's forms cover what is left escaped.
  const scrubbed = scan.scrub(plain.replace(ESCAPES, readableEscape));
  const left = scrubbed.replace(ESCAPES, decodedEscape);
  // A form that other escapes still hide (its `+` escaped, its `/` not: no form the redactor lists)
  // is scrubbed from the decoded text: perhaps no longer JSON, but the entry is quarantined anyway.
  return escapedForms.some((form) => left.includes(form)) ? scan.scrub(decoded) : scrubbed;
}

const decodedEscape = (_escape: string, hex: string): string => String.fromCharCode(Number.parseInt(hex, 16));

const readableEscape = (written: string, hex: string): string => {
  const char = decodedEscape(written, hex);
  return /^[A-Za-z0-9]$/.test(char) ? char : written.toLowerCase();
};

/**
 * The scrubbed entry parsed, so no copy of the credential stays in memory; the text itself when
 * the scrub cut through JSON syntax (a secret holding `","`): the entry is quarantined either way.
 */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
