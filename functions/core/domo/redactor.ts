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
 */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const known = new Set<string>();
  let ordered: string[] = [];
  const add = (secret: string) => {
    if (!secret) return;
    for (const form of encodedForms(secret)) known.add(form);
    // Longest first, so a secret that contains another is removed whole.
    ordered = [...known].sort((a, b) => b.length - a.length);
  };
  for (const secret of secrets) add(secret);
  return {
    add,
    scrub(text) {
      let out = text;
      for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      return out;
    },
    forms: () => ordered,
  };
}

/**
 * The forms a secret takes in what a server may echo: raw; inside a JSON string (escaped once or
 * twice, `/` as `\/`, HTML-sensitive characters as `\u00xx` the way Java's Gson writes them, or
 * every non-alphanumeric character as `\u00xx`, each in lower- and upper-case hex: `\u003d` and
 * `\u003D` are the same JSON); URL-encoded (either hex case) and form-encoded (space as `+`); Base64
 * and Base64url of it.
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
  ];
  return [...new Set(forms)].filter((form) => form.length > 0);
}

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** The same escape in upper-case hex (`\u003D`), as other JSON writers than Gson spell it. */
const upperUnicodeEscape = (c: string): string =>
  `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
