import { type BytePatterns, bytePatterns } from './byte-patterns.ts';
import type { Decoded } from './http-request.ts';
import { MIN_CASELESS_FORM, type Redactor } from './redactor.ts';

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
 * One sampled pass over the body's bytes for the forms (byte-patterns.ts) and a few native searches
 * for the escapes (see `pagePatterns`), so a clean page (every page, in practice) costs ~0.1 ms
 * per 0.2 MB over bytes already in memory; only a page holding a pattern is
 * looked at entry by entry, and an entry holding one is judged by `scan` itself (any letter case for
 * a long form, percent-escapes decoded). A `\u` escape can spell any character, a letter or a digit
 * too, so no fixed list of forms covers a secret written with such escapes: a page holding `\u`
 * (one more search of its bytes) has each entry that holds one searched again with its escapes
 * decoded. Percent-escapes are never decoded for the page: entries with URLs hold thousands, and
 * reading them costs far more than the searches (see `pagePatterns`).
 */
export function withCredentialEntries<T extends PageEntries>(
  page: Decoded<T>,
  body: Buffer,
  scan: Redactor,
): Decoded<T> {
  if (!page.ok) return page;
  const { patterns, escapedForms } = pagePatterns(scan.forms());
  const found = patterns.heldBy(body);
  const breaks = PAGE_LINE_BREAKS.some((lineBreak) => body.includes(lineBreak));
  const escaped = body.includes(ESCAPE);
  if (found.length === 0 && !breaks && !escaped) return page;
  const search: Search = { found, breaks, escapedForms: escaped ? escapedForms : [], scan };
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

/** What a page is searched for, worked out once per list of forms. */
interface PagePatterns {
  /**
   * Byte patterns, each a candidate only: an entry holding one is judged by the redactor. Searched
   * in one pass over the page (byte-patterns.ts), not one native search each.
   */
  patterns: BytePatterns;
  /** The forms, exact, that an entry with its `\u` escapes decoded is searched for. */
  escapedForms: readonly string[];
}

/**
 * The page's byte patterns: each form of `MIN_CREDENTIAL_FORM` characters or more, a long one
 * (`MIN_CASELESS_FORM`) also upper- and lower-cased unless it is the Base64 of another form (Base64
 * in another case is other bytes, not an echo: its source's variants are searched); a pattern that
 * holds a shorter one is left out, as the shorter one is found wherever it is (the Basic
 * credential's escaped forms all hold the unpadded one). Each native search of a long pattern
 * costs about 0.1-1 ms per 8 MiB, so the set is kept small: a page full of URL escapes is as cheap
 * as a clean one. Anything that reads a page's escapes one by one (finding each `%` costs a call)
 * took 0.3 s per 8 MiB page with 40 `%20` an entry, against 5 ms for the searches; so percent-
 * escapes are found as the forms list them (every byte, or every byte but letters and digits, in
 * either hex case), and a secret with only some letters escaped, or in a mix of cases, is not
 * found in a page (the redactor still scrubs it from a message). Cached by the list, which a
 * redactor replaces when it learns a secret: the page scan's never changes.
 */
function pagePatterns(forms: readonly string[]): PagePatterns {
  const known = PAGE_PATTERNS.get(forms);
  if (known) return known;
  const long = forms.filter((form) => form.length >= MIN_CREDENTIAL_FORM);
  const all = new Set(forms);
  const cased = long.flatMap((form) =>
    form.length >= MIN_CASELESS_FORM && !isBase64Of(form, all)
      ? [form, form.toUpperCase(), form.toLowerCase()]
      : [form],
  );
  const made: PagePatterns = { patterns: bytePatterns(leastOf(cased)), escapedForms: leastOf(long) };
  PAGE_PATTERNS.set(forms, made);
  return made;
}

/**
 * Whether `form` is the Base64 (or Base64url) of one of `forms`, or of a part of one: the stable
 * middle of a secret's Base64 inside a longer text's (redactor.ts `base64Middles`).
 */
const isBase64Of = (form: string, forms: ReadonlySet<string>): boolean =>
  [Buffer.from(form, 'base64').toString('utf8'), Buffer.from(form, 'base64url').toString('utf8')].some(
    (decoded) => forms.has(decoded) || (decoded.length >= MIN_CREDENTIAL_FORM && holds(forms, decoded)),
  );

const holds = (forms: ReadonlySet<string>, part: string): boolean => {
  for (const form of forms) if (form.includes(part)) return true;
  return false;
};

const PAGE_PATTERNS = new WeakMap<readonly string[], PagePatterns>();

/** The distinct texts that hold no other of them. */
function leastOf(texts: readonly string[]): string[] {
  const distinct = [...new Set(texts)];
  return distinct.filter((text) => !distinct.some((other) => other !== text && text.includes(other)));
}

/** The escape's start as it is in a page's bytes and in an entry's text. */
const ESCAPE = '\\u';

/**
 * A line break as a page's bytes hold it in a string (`\n`, `\r`, or spelled `\u000a`/`\u000d`),
 * escaped once or more: in every line break of a wrapped Base64. Only in a page holding one are
 * the entries holding one scrubbed to be judged (`holdsForm`).
 */
const PAGE_LINE_BREAKS = ['\\n', '\\r', '\\u000'];

/**
 * The same in one entry's text. A piece counts only in an entry holding one itself: a piece alone
 * is no wrapped echo, and counting it wherever the page held a line break (review R-HOSTFIX3 M1)
 * let an entry's neighbours decide its fate, so a re-pull with other page bounds stored as an event
 * what an earlier pull quarantined, one entry in both tables.
 */
const ENTRY_LINE_BREAK = /\\(?:n|r|u000[aAdD])/;

/**
 * A `\u` escape at any depth: a JSON document inside a string field has its escapes escaped once
 * more (`\\u0053`), so any run of backslashes counts. The lookbehind has a run matched from its
 * start only, so a hostile run of backslashes costs linear time, not quadratic.
 */
const ESCAPES = /(?<!\\)\\+u([0-9A-Fa-f]{4})/g;

/** The patterns found in the page's bytes; the forms when the page holds a `\u` escape, else none. */
interface Search {
  found: readonly string[];
  /** Whether the page holds a line break: then an entry holding one is scrubbed to be judged. */
  breaks: boolean;
  escapedForms: readonly string[];
  scan: Redactor;
}

/**
 * Whether the entry may hold a credential form: it holds one, or a line break, which may cut a
 * wrapped Base64 echo anywhere. The pieces of the wrapped Base64 (`Redactor.wrappedPieces`) are
 * whole only in lines of 40 characters or more, and none of a secret under 24 bytes are listed
 * (review R-LEAK M2: an echo in lines of 32 was stored); the redactor itself finds a wrapped echo
 * at any width, so every entry with a line break of its own is scrubbed and kept when unchanged.
 * A piece alone, with no line break in the entry, is no wrapped echo (review R-HOSTFIX3 M1).
 */
const holdsForm = (text: string, { found, breaks }: Search): boolean =>
  found.some((form) => text.includes(form)) || (breaks && ENTRY_LINE_BREAK.test(text));

/** The entry's text with every credential form scrubbed; the text itself when it holds none. */
function scrubbedEntry(text: string, search: Search): string {
  const { escapedForms, scan } = search;
  const plain = holdsForm(text, search) ? scan.scrub(text) : text;
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
