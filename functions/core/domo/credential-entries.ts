import type { Decoded } from './http-request.ts';
import { percentDecoded, type Redactor } from './redactor.ts';

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
 * A few native searches of the body's bytes per form (see `pageHolds`), so a clean page (every
 * page, in practice) costs a few `indexOf`s over bytes already in memory; only a page holding a
 * form is looked at entry by entry, in any letter case. Escapes can spell any character, so no
 * fixed list of forms covers a secret written with them: a `\u` escape of JSON (a letter or a
 * digit too), or a percent-escape (`%74%6f%6b…`, every character or only some). A page holding
 * such an escape of a byte some form is made of is searched again with its escapes decoded, and
 * when that finds a form, each entry holding an escape is searched with its escapes decoded.
 */
export function withCredentialEntries<T extends PageEntries>(
  page: Decoded<T>,
  body: Buffer,
  scan: Redactor,
): Decoded<T> {
  if (!page.ok) return page;
  const all = scan.forms();
  const forms = all.filter((form) => form.length >= MIN_CREDENTIAL_FORM);
  const found = pageHolds(body, all);
  if (found === 'none') return page;
  const search: Search = {
    lowerForms: forms.map((form) => form.toLowerCase()),
    found: found === 'as-is',
    scan,
  };
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

/**
 * Whether the page's bytes hold a form: `as-is`, `escaped` (only once its `\u` and percent-escapes
 * are decoded), or `none`. Each form is looked for as it is, all lower-case and all upper-case (a
 * server echoing the secret upper-cased, its hex in capitals): three native searches of the bytes,
 * where reading them as text to match in any case cost about three times the whole check (0.3 ms
 * a 500 KB page to copy, as much again to lower-case). An entry searched again is matched in any
 * case. Forms written with escapes are left out: the escapes of a page that holds any are decoded
 * in one pass (bytes read as Latin-1, one character a byte, an escape decoded to its UTF-8 bytes
 * alike), not entry by entry (entries with URLs hold percent-escapes).
 */
function pageHolds(body: Buffer, forms: readonly string[]): 'as-is' | 'escaped' | 'none' {
  const { cased, chars } = pageForms(forms);
  if (cased.some((form) => body.includes(form))) return 'as-is';
  if (!decodingMayReveal(body, chars)) return 'none';
  let decoded = body.toString('latin1');
  if (decoded.includes(ESCAPE)) decoded = decoded.replace(ESCAPES, escapedBytes);
  if (decoded.includes('%')) decoded = decoded.replace(PERCENT_ESCAPE, percentByte);
  const text = Buffer.from(decoded, 'latin1');
  return cased.some((form) => text.includes(form)) ? 'escaped' : 'none';
}

/** What the page search looks for: the forms' case variants, and the bytes they are made of. */
interface PageForms {
  cased: readonly Buffer[];
  /** Every byte of a form in any case; an escape of any other byte cannot be inside a form. */
  chars: ReadonlySet<number>;
}

/**
 * The forms written without escapes, each as it is, lower-cased and upper-cased, as bytes; a form
 * that holds a shorter one is left out (the Basic credential holds its unpadded self), as the
 * shorter one is found wherever it is. Cached by the list, which a redactor replaces when it learns
 * a secret: the page scan's never changes.
 */
function pageForms(forms: readonly string[]): PageForms {
  const known = PAGE_FORMS.get(forms);
  if (known) return known;
  const plain = forms.filter((form) => form.length >= MIN_CREDENTIAL_FORM && !ESCAPED_FORM.test(form));
  const lower = [...new Set(plain.map((form) => form.toLowerCase()))];
  const least = lower.filter((form) => !lower.some((other) => other !== form && form.includes(other)));
  const texts = new Set(
    least.flatMap((form) =>
      plain.filter((p) => p.toLowerCase() === form).flatMap((p) => [p, form, p.toUpperCase()]),
    ),
  );
  const cased = [...texts].map((text) => Buffer.from(text, 'utf8'));
  const made: PageForms = { cased, chars: new Set(cased.flatMap((form) => [...form])) };
  PAGE_FORMS.set(forms, made);
  return made;
}

const PAGE_FORMS = new WeakMap<readonly string[], PageForms>();

/**
 * Whether decoding the page's escapes could reveal a form: only an escape of a byte some form is
 * made of can stand inside one (`%20`, a space in a URL, cannot in a hex secret or Base64), so a
 * page whose escapes are all of other bytes holds no form that it did not show as it is. A `\u`
 * escape past ASCII, or a form holding `%` or `\`, leaves the answer yes.
 */
function decodingMayReveal(body: Buffer, chars: ReadonlySet<number>): boolean {
  if (chars.has(0x25) || chars.has(0x5c)) return body.includes('%') || body.includes(ESCAPE);
  return escapesOf(body, '%', 1, chars) || escapesOf(body, ESCAPE, 2, chars);
}

/**
 * Whether `body` holds an escape starting with `mark` whose byte, in the `width` hex bytes after
 * it (2 for `%XX`, 4 for `\uXXXX`), may be in a form: one native search a mark.
 */
function escapesOf(body: Buffer, mark: string, width: 1 | 2, chars: ReadonlySet<number>): boolean {
  const digits = width * 2;
  for (let at = body.indexOf(mark); at !== -1; at = body.indexOf(mark, at + 1)) {
    const hex = body.toString('latin1', at + mark.length, at + mark.length + digits);
    if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) continue;
    const code = Number.parseInt(hex, 16);
    if (code > 0x7f || chars.has(code)) return true;
  }
  return false;
}

/** A form that spells a character with an escape: found in a page by decoding its escapes. */
const ESCAPED_FORM = /\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}/;

/** A `\u` escape as the UTF-8 bytes of its character, one Latin-1 character a byte. */
const escapedBytes = (written: string, hex: string): string =>
  Buffer.from(decodedEscape(written, hex), 'utf8').toString('latin1');

const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;

/** A percent-escape as its byte, one Latin-1 character. */
const percentByte = (_escape: string, hex: string): string => String.fromCharCode(Number.parseInt(hex, 16));

/** The escape's start as it is in a page's bytes and in an entry's text. */
const ESCAPE = '\\u';

/**
 * A `\u` escape at any depth: a JSON document inside a string field has its escapes escaped once
 * more (`\\u0053`), so any run of backslashes counts. The lookbehind has a run matched from its
 * start only, so a hostile run of backslashes costs linear time, not quadratic.
 */
const ESCAPES = /(?<!\\)\\+u([0-9A-Fa-f]{4})/g;

/** The page's forms, lower-cased, and whether its bytes hold one as they are (not only escaped). */
interface Search {
  lowerForms: readonly string[];
  found: boolean;
  scan: Redactor;
}

/** Whether `text`, its escapes decoded, holds a form in any letter case. */
function holdsForm(text: string, lowerForms: readonly string[]): boolean {
  const decoded = text.includes(ESCAPE) ? text.replace(ESCAPES, decodedEscape) : text;
  const readable = (decoded.includes('%') ? percentDecoded(decoded) : decoded).toLowerCase();
  return lowerForms.some((form) => readable.includes(form));
}

/** The entry's text with every credential form scrubbed; the text itself when it holds none. */
function scrubbedEntry(text: string, { lowerForms, found, scan }: Search): string {
  // On a page that holds no form as it is, only an entry with escapes can hold one.
  if (!found && !text.includes(ESCAPE) && !text.includes('%')) return text;
  if (!holdsForm(text, lowerForms)) return text;
  // The redactor matches any case and decodes percent-escapes itself.
  const plain = scan.scrub(text);
  if (!plain.includes(ESCAPE) || !holdsForm(plain, lowerForms)) return plain;
  // Letters and digits written plainly, the other escapes in one hex case: still JSON, the entry
  // as served otherwise, and the redactor's forms cover what is left escaped.
  const scrubbed = scan.scrub(plain.replace(ESCAPES, readableEscape));
  // A form that other escapes still hide (its `+` escaped, its `/` not: no form the redactor lists)
  // is scrubbed from the decoded text: perhaps no longer JSON, but the entry is quarantined anyway.
  return holdsForm(scrubbed, lowerForms) ? scan.scrub(scrubbed.replace(ESCAPES, decodedEscape)) : scrubbed;
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
