/** Removes known secrets from text that is about to leave the client (error messages, log fields). */
export interface Redactor {
  /** Remembers another secret (each access token, as it is issued). */
  add(secret: string): void;
  scrub(text: string): string;
  /** Every form of every secret it removes, longest first. */
  forms(): readonly string[];
}

export const REDACTED = '[redacted]';

/**
 * A last line of defence: the client never puts a secret into a message on purpose, but text
 * from Domo (error bodies, HTML pages) or from the network stack is echoed into messages and
 * might contain one, raw or in any encoding a server may echo it in. Callers scrub whole texts
 * before they shorten them: a secret cut in half by truncation is no longer recognisable.
 *
 * Forms are matched in any letter case: a server may echo a secret upper-cased, or its hex in
 * capitals. A text holding `%` is also looked at with its percent-escapes decoded, which no fixed
 * form covers (`%74%6f%6b…`, every character escaped, or only some): when that reveals a form, the
 * decoded text is what comes back, scrubbed.
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const known = new Set<string>();
  let ordered: string[] = [];
  let patterns: Form[] = [];
  const add = (secret: string) => {
    if (!secret) return;
    for (const form of encodedForms(secret)) known.add(form);
    // Longest first, so a secret that contains another is removed whole.
    ordered = [...known].sort((a, b) => b.length - a.length);
    patterns = ordered.map((form) => ({
      lower: form.toLowerCase(),
      pattern: new RegExp(escapedForRegExp(form), 'gi'),
    }));
  };
  for (const secret of secrets) add(secret);
  return {
    add,
    scrub(text) {
      const out = replaced(text, patterns);
      if (!out.includes('%')) return out;
      const decoded = percentDecoded(out);
      if (decoded === out) return out;
      const scrubbed = replaced(decoded, patterns);
      return scrubbed === decoded ? out : scrubbed;
    },
    forms: () => ordered,
  };
}

/** A form and its case-insensitive pattern; `lower` checks cheaply whether the pattern can match. */
interface Form {
  lower: string;
  pattern: RegExp;
}

/** `text` with every form replaced, in any letter case. */
function replaced(text: string, forms: readonly Form[]): string {
  // One lower-casing of the text, then a search per form: a clean text (nearly every one) runs no
  // pattern. Left stale after a replacement: a form found there again is searched for in vain.
  const lower = text.toLowerCase();
  let out = text;
  for (const form of forms) if (lower.includes(form.lower)) out = out.replace(form.pattern, REDACTED);
  return out;
}

/** `text` as a pattern that matches it literally. */
export const escapedForRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with each run of percent-escapes decoded as UTF-8 (a byte that is no UTF-8 becomes
 * U+FFFD): a secret with every character escaped, or only some, reads as itself. Decoded once: a
 * `%25` becomes a `%`, not more.
 */
export function percentDecoded(text: string): string {
  return text.replace(PERCENT_RUN, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * The forms a secret takes in what a server may echo: raw; inside a JSON string (escaped once or
 * twice, `/` as `\/`, HTML-sensitive characters as `\u00xx` the way Java's Gson writes them, or
 * every non-alphanumeric character as `\u00xx`, each in lower- and upper-case hex: `\u003d` and
 * `\u003D` are the same JSON); URL-encoded (either hex case) and form-encoded (space as `+`); Base64
 * and Base64url of it; the hex of its UTF-8 bytes, in lower and upper case (a server dumping the
 * header's bytes). Forms that differ only in letter case are all listed, for a reader that matches
 * exactly; the redactor itself matches each in any case.
 */
export function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uriEncoded = encodeURIComponent(secret);
  const forms = [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    json.replaceAll('/', '\\/'),
    json.replace(/[<>&='/]/g, unicodeEscape),
    json.replace(/[<>&='/]/g, upperUnicodeEscape),
    secret.replace(/[^A-Za-z0-9]/g, unicodeEscape),
    secret.replace(/[^A-Za-z0-9]/g, upperUnicodeEscape),
    uriEncoded,
    uriEncoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
    Buffer.from(secret, 'utf8').toString('hex'),
    Buffer.from(secret, 'utf8').toString('hex').toUpperCase(),
  ];
  return [...new Set(forms)].filter((form) => form.length > 0);
}

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** The same escape in upper-case hex (`\u003D`), as other JSON writers than Gson spell it. */
const upperUnicodeEscape = (c: string): string =>
  `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
