/** Removes known secrets from text that is about to leave the client (error messages, log fields). */
export interface Redactor {
  /**
   * Remembers another secret (each access token, as it is issued), while it is among the last
   * {@link RedactorOptions.remembered} added or carried (`carry`): the secrets it was created with
   * are kept for good.
   */
  add(secret: string): void;
  /**
   * Marks `secret` (one given to `add`) as carried by a request in flight, until the function it
   * gives back is called, once the request's answer is read and its messages are built: its forms
   * are kept meanwhile, however many newer ones came. A secret not held is left alone.
   */
  carry(secret: string): () => void;
  scrub(text: string): string;
  /** Every form of every secret it removes, longest first, but the pieces of `wrappedPieces`. */
  forms(): readonly string[];
  /**
   * Pieces of each secret's Base64 (at each byte offset) such that an echo of it wrapped in lines
   * of 40 characters or more holds one whole; `scrub` removes a piece found alone too. `scrub`
   * finds a wrapped echo at any line width without them (review R-LEAK M2).
   */
  wrappedPieces(): readonly string[];
}

export interface RedactorOptions {
  /** How many secrets given to `add` it keeps, the latest; default {@link REMEMBERED_ADDED}. */
  remembered?: number;
  /** Most secrets given to `add` it keeps, carried or not; default {@link MOST_ADDED}. */
  most?: number;
}

/**
 * Most secrets given to `add` kept, carried by a request in flight or not: a guard on memory only
 * (256 tokens' forms are ~8,000; an add then sorts them again in a few ms). Requests in flight at
 * once are a few per window times the concurrency, far fewer.
 */
export const MOST_ADDED = 256;

/**
 * Secrets given to `add` that a redactor keeps by default, carried or not: as many as the token
 * provider remembers tokens (its `REMEMBERED_TOKENS`). Others stay while a request carries them.
 */
export const REMEMBERED_ADDED = 8;

export const REDACTED = '[redacted]';

/** What `scrub` gives back when scrubbing itself failed: never the text, nor the error. */
export const NOT_SCRUBBED = '[redacted: could not scrub]';

/**
 * Shortest form matched in any letter case: a shorter one may be a word in another case (a secret
 * `Activity` against an entry's "activity log"). Domo's client secrets are 64 hex digits, its
 * tokens and the Basic credential longer still, so every real form is caseless.
 */
export const MIN_CASELESS_FORM = 20;

/**
 * A last line of defence: the client never puts a secret into a message on purpose, but text
 * from Domo (error bodies, HTML pages) or from the network stack is echoed into messages and
 * might contain one, raw or in any encoding a server may echo it in. Callers scrub whole texts
 * before they shorten them: a secret cut in half by truncation is no longer recognisable.
 *
 * A form of `MIN_CASELESS_FORM` characters or more is matched in any letter case (a server may echo
 * a secret upper-cased, or its hex in capitals); a shorter one exactly. A text holding `%` or `&#`
 * is also looked at with its percent-escapes or HTML character references decoded, which no fixed
 * form covers (`%74%6f%6b…`, or only a `%2D`; `&#98;&#55;…`): when that reveals a form, the
 * decoded text is what comes back, scrubbed.
 *
 * The secrets it is created with (the client secret, the Basic credential) are kept for good; of
 * those given to `add` (access tokens) the latest `remembered`, and any other a request in flight
 * still carries (`carry`), up to `most`. It kept every token, and each one re-sorted and
 * recompiled every form: with tokens of one second, 2,000 of them took 75-118 ms per token (review
 * R-HOSTILE2 M1). Kept by requests in flight, not by count or time (review R-HOSTFIX M2): an
 * answer can quote only a token a request carried, and only until that request's answer is read.
 * A count alone let one through: 401s draw new tokens within a second while an older, still valid
 * token rides a request that may take a whole request timeout (33 tokens in 12 s, and the slow
 * answer's echo logged raw). A time would have to bound the wait for the pacer between a token's
 * reading and the request's start, which nothing bounds. Each form is built once; it is searched
 * for as a string, never through a pattern built from it (review R-LEAK M1), and a failure inside
 * `scrub` gives back {@link NOT_SCRUBBED}, never the text.
 */
export function createRedactor(secrets: readonly string[] = [], options: RedactorOptions = {}): Redactor {
  const remembered = options.remembered ?? REMEMBERED_ADDED;
  const most = options.most ?? MOST_ADDED;
  const kept = secrets.filter(Boolean).flatMap(formsOf);
  /** Each secret added, oldest first: its forms, and how many requests in flight carry it. */
  let added: Added[] = [];
  let patterns: Form[] = [];
  let ordered: string[] = [];
  let pieces: string[] = [];
  let joinable: Form[] = [];
  // A few hundred forms at most (each secret's ~20, `remembered` tokens): sorted again per token.
  const order = () => {
    const distinct = new Map<string, Form>();
    for (const known of [...kept, ...added.flatMap((secret) => secret.forms)])
      if (!distinct.has(known.form) || shorterMiddle(known, distinct.get(known.form)))
        distinct.set(known.form, known);
    // Longest first, so a secret that contains another is removed whole.
    patterns = [...distinct.values()].sort((a, b) => b.form.length - a.form.length);
    ordered = patterns.filter((known) => !known.wrapped).map(({ form }) => form);
    pieces = patterns.filter((known) => known.wrapped).map(({ form }) => form);
    joinable = patterns.filter(
      ({ form, wrapped }) => !wrapped && form.length >= MIN_JOINABLE_FORM && BASE64_TEXT.test(form),
    );
  };
  /** Drops the secrets neither among the latest `remembered` nor carried, and the oldest past `most`. */
  const prune = (): boolean => {
    const latest = added.length - remembered;
    const left = added.filter((secret, i) => i >= latest || secret.carried > 0).slice(-most);
    if (left.length === added.length) return false;
    added = left;
    return true;
  };
  order();
  return {
    add(secret) {
      if (!secret) return;
      added.push({ secret, forms: formsOf(secret), carried: 0 });
      prune();
      order();
    },
    carry(secret) {
      const held = added.findLast((known) => known.secret === secret);
      if (!held) return () => {};
      held.carried++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.carried--;
        if (held.carried === 0 && prune()) order();
      };
    },
    scrub(text) {
      // Fails closed: an error here must not hand back the text, nor its own message, which may
      // quote what it was searching for (review R-LEAK M1: "Regular expression too large" quoted
      // the whole pattern, the secret's Base64, into the window's failure message).
      try {
        return scrubbed(text, patterns, joinable);
      } catch {
        return NOT_SCRUBBED;
      }
    },
    forms: () => ordered,
    wrappedPieces: () => pieces,
  };
}

interface Added {
  secret: string;
  forms: Form[];
  carried: number;
}

/** A form as it is searched: `lower` set when it is matched in any case. */
interface Form {
  form: string;
  lower: string | undefined;
  /**
   * For a piece of a Base64 middle ({@link wrappedBase64Pieces}): the middle it is a piece of,
   * which a text is searched for cut by line breaks, as every Base64 form is.
   */
  wrapped?: { middle: string };
}

const formOf = (form: string): Form => ({
  form,
  lower: form.length >= MIN_CASELESS_FORM ? foldedCase(form) : undefined,
});

/**
 * Whether `known` is a piece of a shorter middle than `other`, the same piece: the Basic credential
 * with and without its padding share the pieces of their Base64, and the shorter middle (a prefix
 * of the longer) is what an echo of either holds.
 */
const shorterMiddle = (known: Form, other: Form | undefined): boolean =>
  known.wrapped !== undefined &&
  other?.wrapped !== undefined &&
  known.wrapped.middle.length < other.wrapped.middle.length;

/** Every form of `secret` the redactor removes: its encodings, and the pieces of its wrapped Base64. */
const formsOf = (secret: string): Form[] => [
  ...encodedForms(secret).map(formOf),
  ...wrappedBase64Pieces(secret).map(({ piece, middle }) => ({
    ...formOf(piece),
    wrapped: { middle },
  })),
];

/**
 * `text` scrubbed: its forms replaced, then the same with its percent-escapes (`%74%6f%6b…`, or
 * only a `%2D`) and its HTML character references (`&#98;&#x37;…`) decoded, which no fixed form
 * covers: when that reveals a form, the decoded text is what comes back, scrubbed.
 */
function scrubbed(text: string, forms: readonly Form[], joinable: readonly Form[]): string {
  let out = replaced(text, forms, joinable);
  for (const decode of DECODINGS) {
    const decoded = decode(out);
    if (decoded === out) continue;
    const again = replaced(decoded, forms, joinable);
    if (again !== decoded) out = again;
  }
  return out;
}

/**
 * `text` with every form replaced, a long one in any letter case; first, when the text holds a
 * line break, every form made of Base64 (or hex) characters wherever line breaks cut it. No search
 * builds a pattern from a form: a pattern grows with the secret, and past ~32 K characters (2,706
 * of a secret, through the wrapped Basic credential's) Node refused to compile one with a message
 * quoting it whole (review R-LEAK M1). Plain string searches have no such bound.
 */
function replaced(text: string, forms: readonly Form[], joinable: readonly Form[]): string {
  let out = HOLDS_LINE_BREAK.test(text) ? joinedReplaced(text, joinable) : text;
  // The text case-folded once, and only when a caseless form is known: a clean text (nearly every
  // one) runs one search per form. Left stale after a replacement: a form found there again is
  // searched in vain.
  let lower: string | undefined;
  for (const { form, lower: caseless } of forms) {
    if (caseless === undefined) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
      continue;
    }
    lower ??= foldedCase(out);
    if (!lower.includes(caseless)) continue;
    out = withSpansRedacted(out, spansOf(foldedCase(out), [caseless]));
  }
  return out;
}

/** Whether a text holds a line break, as a character or escaped in a JSON string. */
const HOLDS_LINE_BREAK = /[\r\n]|\\(?:[rn]|u000[aAdD])/;

/**
 * A run of what wrapping puts between two characters of a Base64: a line break, as a character or
 * escaped in a JSON string (once or more: a JSON document inside a string field), with the spaces
 * or tabs around it (a folded header, an indent, a trailing space) and more breaks. Spaces alone
 * are no wrapping: joining every word would cost a search of every text. Each repeat before the
 * break is bounded, so a hostile run of backslashes or spaces costs linear time.
 */
const BREAK_RUN =
  /[ \t]{0,8}(?:\\{1,16}(?:[rn]|u000[aAdD])|[\r\n])(?:\\{1,16}(?:[rnt]|u000[aAdD9])|[\r\n\t ])*/g;

/**
 * `text` with each of `forms` (Base64 or hex) redacted wherever it lies cut by line breaks, at any
 * line width: the text is searched with every break removed, and a find redacts what it spans in
 * the text, breaks included. Pieces of a form at fixed places (review R-HOSTFIX3 L2) left an echo
 * in lines of under 40 characters whole (review R-LEAK M2).
 */
function joinedReplaced(text: string, forms: readonly Form[]): string {
  if (forms.length === 0) return text;
  const joined = text.replace(BREAK_RUN, '');
  const spans = [
    ...spansOf(
      foldedCase(joined),
      forms.flatMap(({ lower }) => (lower === undefined ? [] : [lower])),
    ),
    ...spansOf(
      joined,
      forms.flatMap(({ form, lower }) => (lower === undefined ? [form] : [])),
    ),
  ];
  if (spans.length === 0) return text;
  const at = joinedPlaces(text);
  return withSpansRedacted(
    text,
    merged(spans.map(([start, end]) => [at[start] as number, (at[end - 1] as number) + 1])),
  );
}

/** Where in `text` each character of it joined (its {@link BREAK_RUN}s removed) stands. */
function joinedPlaces(text: string): Int32Array {
  const at = new Int32Array(text.length);
  let kept = 0;
  let from = 0;
  for (const run of text.matchAll(BREAK_RUN)) {
    for (let i = from; i < run.index; i++) at[kept++] = i;
    from = run.index + run[0].length;
  }
  for (let i = from; i < text.length; i++) at[kept++] = i;
  return at;
}

/** Where each of `needles` lies in `text`, every occurrence, merged where they overlap. */
function spansOf(text: string, needles: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  // An empty needle is found everywhere, and would never move on.
  for (const needle of needles)
    for (
      let i = needle === '' ? -1 : text.indexOf(needle);
      i !== -1;
      i = text.indexOf(needle, i + needle.length)
    )
      spans.push([i, i + needle.length]);
  return merged(spans);
}

/** `spans` in order, those that overlap or touch made one. */
function merged(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const span of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([span[0], span[1]]);
  }
  return out;
}

/** `text` with each span (in order, apart) replaced by {@link REDACTED}. */
function withSpansRedacted(text: string, spans: readonly [number, number][]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(from, start), REDACTED);
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * `text` lower-cased character for character, so that a place in it is the same place in `text`:
 * `toLowerCase` turns `İ` into two characters, and a find would then redact the wrong span.
 */
function foldedCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const char of text.split('')) {
    const folded = char.toLowerCase();
    out += folded.length === 1 ? folded : char;
  }
  return out;
}

/** Characters a Base64 (standard or URL-safe) or hex form is made of: what wrapping cuts. */
const BASE64_TEXT = /^[A-Za-z0-9+/=_-]+$/;

/** Shortest form searched for cut by line breaks: the shortest Base64 middle listed. */
const MIN_JOINABLE_FORM = 16;

/**
 * `text` with its HTML character references (`&#98;`, `&#x62;`, the `;` optional as browsers
 * read them) decoded: a page of HTML echoing a secret may spell every character so.
 */
export function entitiesDecoded(text: string): string {
  if (!text.includes('&#')) return text;
  return text.replace(ENTITY, (written, hex: string | undefined, decimal: string | undefined) => {
    const code = hex === undefined ? Number(decimal) : Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : written;
  });
}

const ENTITY = /&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));?/g;

const DECODINGS: readonly ((text: string) => string)[] = [
  (text) => (text.includes('%') ? percentDecoded(text) : text),
  entitiesDecoded,
];

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
 * and Base64url of it, and of it inside a longer text at any byte offset ({@link base64Middles}); the hex of its UTF-8 bytes (a server dumping the header's bytes); its bytes
 * percent-escaped, every one or every one but letters and digits, in either hex case (encoders that
 * escape more than `encodeURIComponent`). Each is listed as written; the redactor matches a long
 * one in any case, and decodes percent-escapes itself, but the page scan searches bytes as listed.
 */
export function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const uriEncoded = encodeURIComponent(secret);
  const hex = Buffer.from(secret, 'utf8').toString('hex');
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
    ...base64Middles(secret),
    hex,
    hex.toUpperCase(),
    percentEscaped(secret, false, false),
    percentEscaped(secret, false, true),
    percentEscaped(secret, true, false),
    percentEscaped(secret, true, true),
  ];
  return [...new Set(forms)].filter((form) => form.length > 0);
}

/**
 * Shortest stable middle listed: 12 bytes of the secret. A shorter run of Base64 (a test's secret
 * of a few letters) is text anywhere; real secrets (64 hex digits) give 80 characters.
 */
const MIN_BASE64_MIDDLE = 16;

/**
 * The Base64 (and Base64url) of `secret` inside the Base64 of a longer text, at each of the three
 * byte offsets modulo 3 it may start at (review R-HOSTILE2 L1: `s=<secret>` encoded whole did not
 * hold the secret's own Base64, and was stored). Base64 writes each 3 bytes as 4 characters, so
 * only the groups made of the secret's bytes alone are the same whatever comes before and after
 * it: those are listed; the group at each end, shared with the neighbours, is left out. Offset 0
 * is listed too: the full Base64 ends with padding, which a text going on after the secret has not.
 */
function base64Middles(secret: string, ...alphabets: ('base64' | 'base64url')[]): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const middles: string[] = [];
  const encodings = alphabets.length > 0 ? alphabets : (['base64', 'base64url'] as const);
  for (let offset = 0; offset < 3; offset++) {
    // The secret's bytes from the first that starts a group of the longer text, in whole groups.
    const first = (3 - offset) % 3;
    const whole = Math.floor((bytes.length - first) / 3) * 3;
    if ((whole / 3) * 4 < MIN_BASE64_MIDDLE) continue;
    const middle = bytes.subarray(first, first + whole);
    for (const alphabet of encodings) middles.push(middle.toString(alphabet));
  }
  return middles;
}

/**
 * Groups of Base64 a MIME line of 76 characters (19 groups) holds, and so every echo of a secret
 * of more than 76 characters is cut by a line break: the echo of the secret (review R-HOSTILE2
 * L1's middles) wrapped at 76 columns holds none of the forms listed above.
 */
const LINE_GROUPS = 19;

/** Shortest piece of a middle listed: four groups, as {@link MIN_BASE64_MIDDLE}. */
const MIN_PIECE_GROUPS = MIN_BASE64_MIDDLE / 4;

/** Groups of each of three pieces of a long middle. */
const PIECE_GROUPS = 6;

/**
 * Where the pieces of a middle of `groups` groups lie, in groups. From 20 groups (a Domo secret of
 * 64 hex digits has 21 at each offset): three of 6 groups, one apart, so that lines of any width from
 * 40 characters on, breaking anywhere (MIME's 76, PEM's 64), leave one whole: two breaks 40 or more
 * characters apart cannot cut the first piece and also both others (review R-HOSTFIX3 L2; two
 * pieces of 9 groups left one whole only from lines of 72). Shorter, as many as fit a line of 76:
 * groups 0-8 and 10-18 of a middle of 19, the halves of a shorter one, which one break cuts at most
 * once.
 */
function pieceCuts(groups: number): [number, number][] {
  if (groups >= 3 * PIECE_GROUPS + 2)
    return [0, 1, 2].map((i) => [i * (PIECE_GROUPS + 1), i * (PIECE_GROUPS + 1) + PIECE_GROUPS]);
  if (groups >= LINE_GROUPS)
    return [
      [0, (LINE_GROUPS - 1) / 2],
      [(LINE_GROUPS + 1) / 2, LINE_GROUPS],
    ];
  const half = Math.floor(groups / 2);
  return [
    [0, half],
    [half, groups],
  ];
}

/**
 * Pieces of each standard Base64 middle ({@link base64Middles}) such that its echo wrapped in lines
 * leaves one of them whole ({@link pieceCuts}), each removed as any form is. A wrapped echo is
 * found whole, at any width, by {@link joinedReplaced}. A middle of fewer than 8 groups (a secret
 * of under 24 bytes, and of 24-25 at some offsets) has none: a piece of it would be too short not
 * to match ordinary text.
 */
function wrappedBase64Pieces(secret: string): { piece: string; middle: string }[] {
  const pieces: { piece: string; middle: string }[] = [];
  for (const middle of new Set(base64Middles(secret, 'base64'))) {
    const groups = middle.length / 4;
    if (groups < 2 * MIN_PIECE_GROUPS) continue;
    for (const [from, to] of pieceCuts(groups))
      pieces.push({ piece: middle.slice(from * 4, to * 4), middle });
  }
  return pieces;
}

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** The same escape in upper-case hex (`\u003D`), as other JSON writers than Gson spell it. */
const upperUnicodeEscape = (c: string): string =>
  `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * `secret`'s UTF-8 bytes percent-escaped: every byte, or (`keepAlphanumeric`) every byte but an
 * ASCII letter or digit, in lower- or upper-case hex. One pass over the bytes with a table: a
 * `Buffer` and a pattern per character took ~2.5 s for a 1 MB token (review R-HOSTILE2 H1). The
 * bytes of a character beyond ASCII are never letters or digits, so escaping byte by byte is
 * escaping each such character whole.
 */
function percentEscaped(secret: string, keepAlphanumeric: boolean, upper: boolean): string {
  const escapes = upper ? UPPER_ESCAPES : LOWER_ESCAPES;
  const bytes = Buffer.from(secret, 'utf8');
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    parts[i] = keepAlphanumeric && ALPHANUMERIC[byte] ? String.fromCharCode(byte) : (escapes[byte] as string);
  }
  return parts.join('');
}

const LOWER_ESCAPES = Array.from({ length: 256 }, (_, byte) => `%${byte.toString(16).padStart(2, '0')}`);
const UPPER_ESCAPES = LOWER_ESCAPES.map((escaped) => escaped.toUpperCase());
const ALPHANUMERIC = Array.from({ length: 256 }, (_, byte) =>
  /^[A-Za-z0-9]$/.test(String.fromCharCode(byte)),
);
