import { fewMarks, visibleText } from '../visible-text.ts';

/**
 * Every `://` (what ends a URL scheme: `https://`, `HTTPS://`, `ftp://`, `x-foo+bar://`...). It is
 * what a mail client's linker looks for, whatever the scheme, so no scheme is listed.
 */
const SCHEME_END = /:\/\//g;

/** `www.` starting a host name (`www.evil.example`, `WWW.x`), which clients link without a scheme. */
const WWW_HOST = /\b(www)\./gi;

/**
 * A bare host (labels and a top-level domain of letters) followed by a path, query, fragment or
 * port: `evil.example/sso`, `sso-help.com/reset?u=admin`, which clients link without a scheme. Not
 * after `//` or `]` (a scheme or `www.` defanged already shows it), nor inside a longer token (a
 * mail address's domain, `a.b.c`); a host alone (`j.smith`, `corp.com`) is not matched: bracketing
 * every dot would mangle user names, and a failed login's made-up name is seldom a bare domain.
 */
const HOST_WITH_PATH = /(?<![\w.@/\]-])((?:[a-z0-9-]+\.)+)([a-z]{2,63})(?=[/?#]|:\d)/gi;

/**
 * `text` with no scheme or host a mail client would make a web link of: `https://` is
 * `https[:]//`, a `www.` host start `www[.]`, a bare host's last dot before a path `[.]`
 * ({@link HOST_WITH_PATH}), the defanging security mail uses. `[:]` rather than
 * `hxxps://`: it takes away the `://` itself, what linkers look for, so it holds for every
 * scheme, not only http and https, keeps the scheme readable, and the admin gets the original
 * back by deleting the brackets. Mail addresses stay as they are: a Domo user name is often one,
 * and the `mailto:` link a client may make of it opens a draft, it fetches nothing. Applied after
 * {@link visibleText}, so a bidi control or control character between `:` and `//`, removed
 * there, cannot put a `://` back; and before any clipping, so the widths a name is cut to hold.
 * Defanging twice changes nothing.
 */
export const unlinked = (text: string): string =>
  // A mark tower cut to three first (fewMarks), so the clips that follow bound its size.
  fewMarks(visibleText(text))
    .replace(SCHEME_END, '[:]//')
    .replace(WWW_HOST, '$1[.]')
    .replace(HOST_WITH_PATH, (_, labels: string, top: string) => `${labels.slice(0, -1)}[.]${top}`);

/**
 * Where in `text` (its UTF-16 offsets) a mail client's linker finds a web link: the `:` of each
 * `://`, the `.` after a `www`, a bare host's last dot before a path ({@link HOST_WITH_PATH}).
 * For text that must stay as it is, such as a SQL literal that has to match the stored value,
 * and that spells those characters otherwise (`chr(46)`).
 */
export function linkMarks(text: string): Set<number> {
  const marks = new Set<number>();
  for (const m of text.matchAll(SCHEME_END)) marks.add(m.index);
  for (const m of text.matchAll(WWW_HOST)) marks.add(m.index + 3);
  for (const m of text.matchAll(HOST_WITH_PATH)) marks.add(m.index + (m[1] ?? '.').length - 1);
  return marks;
}

/** Marks a value made by {@link forMail}; it exists in types only. */
declare const DEFANGED: unique symbol;

/**
 * A value whose every string is {@link unlinked}, as {@link forMail} returns it: what the report's
 * renderings of an already defanged model take, so that none can be handed a model as Domo sent
 * it and mail a clickable link.
 */
export type ForMail<T> = T & { readonly [DEFANGED]: true };

/**
 * `value` with every string in it {@link unlinked}: what the weekly report's HTML and text parts
 * render from, so every Domo string in either (names, ids, evidence, networks...) is defanged,
 * once, before either measures or clips it (the model's other strings, dates and codes, hold no
 * `://` or `www.`). The model itself is not changed: its JSON, the
 * terminal and the lake keep the strings as Domo sent them.
 */
export const forMail = <T>(value: T): ForMail<T> => defanged(value) as ForMail<T>;

function defanged(value: unknown): unknown {
  if (typeof value === 'string') return unlinked(value);
  if (value === null || typeof value !== 'object') return value;
  // A JSON-shaped model (it is archived as JSON): arrays and plain objects, mapped key by key.
  // Copied on every call, not cached: a caller may change a model between renderings. One
  // report's renderings share one copy instead (renderReport), made from the model as it is then.
  return Array.isArray(value)
    ? value.map(defanged)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, defanged(item)]));
}
