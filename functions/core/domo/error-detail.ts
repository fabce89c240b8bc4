import * as z from 'zod';
import { wellFormed, withoutControls } from '../visible-text.ts';

/** Domo's public-API error body; every field is optional because Domo is not consistent. */
const domoErrorBody = z.lazy(() =>
  z.looseObject({
    status: z.unknown().optional(),
    statusReason: z.string().optional(),
    message: z.string().optional(),
    path: z.string().optional(),
    toe: z.string().optional(),
  }),
);

const MAX_SNIPPET = 200;

/**
 * Collapses text to one trimmed line of at most `max` characters. Every string from Domo or a proxy
 * that a message quotes (a title, a body, a message, a trace id, a Location) passes here, so here
 * escape sequences, OSC commands (window title, clipboard), bells, NULs and bidi overrides become
 * spaces before they reach a terminal or a log, and a cut through a surrogate pair leaves U+FFFD.
 */
export function oneLine(text: string, max = MAX_SNIPPET): string {
  const flat = withoutControls(text, ' ').replace(/\s+/g, ' ').trim();
  return wellFormed(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

/**
 * What a body that is not JSON says, in one line: an HTML page's title, else its text without tags.
 * Linear in the body's length, whatever it holds: it reads up to 8 MiB of a hostile answer, where
 * regular expressions that rescan the rest of the text from every `<` took hours.
 */
export function bodySnippet(body: string, max = MAX_SNIPPET): string {
  const title = titleOf(body);
  if (title?.trim()) return oneLine(title, max);
  return oneLine(withoutTags(body), max);
}

/** The text between the first `<title…>` and the `</title>` after it, as `/<title[^>]*>([\s\S]*?)<\/title>/i` finds it. */
function titleOf(body: string): string | undefined {
  const open = /<title/i.exec(body);
  if (!open) return undefined;
  const tagEnd = body.indexOf('>', open.index + open[0].length);
  if (tagEnd < 0) return undefined;
  // A later `<title` cannot match either: its tag ends at or after this one's.
  const close = /<\/title>/gi;
  close.lastIndex = tagEnd + 1;
  const end = close.exec(body);
  return end ? body.slice(tagEnd + 1, end.index) : undefined;
}

/** Each tag (`<` to the next `>`) as a space, as `body.replace(/<[^>]*>/g, ' ')` gives it. */
function withoutTags(body: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = body.indexOf('<', from);
    const close = open < 0 ? -1 : body.indexOf('>', open + 1);
    // No `>` after this `<`: none after any later `<` either, so the rest is text.
    if (close < 0) return out + body.slice(from);
    out += `${body.slice(from, open)} `;
    from = close + 1;
  }
}

/**
 * Describes an error response in one line for messages and logs, e.g.
 * `HTTP 403 Forbidden: Insufficient permissions (Domo trace id ABC123)`. Reads Domo's JSON error body
 * `{status, statusReason, message, path, toe}` when there is one and copes with anything else.
 * With `quoteMessage` false only the status, the reason and the trace id (`toe`) are kept.
 * Scrub secrets from `statusText` and `body` before, as this shortens them, and pass `scrub` too:
 * it runs on each field once JSON has decoded it and before it is shortened. A secret written
 * with JSON escapes of any character (`\u0053` for `S`) matches none of its encoded forms in the
 * body; decoded, it is whole until a cut could leave a piece of it that no scrub would find.
 */
export function describeErrorResponse(
  status: number,
  statusText: string,
  body: string,
  quoteMessage = true,
  scrub: (text: string) => string = (text) => text,
): string {
  let reason = statusText.trim();
  let message = '';
  let toe = '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const domo = domoErrorBody.safeParse(parsed);
  if (domo.success) {
    reason = scrub(domo.data.statusReason ?? '').trim() || reason;
    message = oneLine(scrub(domo.data.message ?? ''));
    toe = oneLine(scrub(domo.data.toe ?? ''), 80);
  } else if (parsed === undefined) {
    message = bodySnippet(body);
  } else {
    message = reserialised(parsed, scrub);
  }
  const shownReason = oneLine(reason, 80);
  let text = `HTTP ${status}${shownReason ? ` ${shownReason}` : ''}`;
  // Compared as shown: a message that only repeats the reason is not quoted twice.
  if (quoteMessage && message && message !== shownReason) text += `: ${message}`;
  // Domo calls it `toe`; the words say what it is, and Domo support asks for it.
  if (toe) text += ` (Domo trace id ${toe})`;
  return text;
}

/**
 * JSON that is not Domo's error body, in one line. Re-serialised, a string's escapes are undone:
 * scrubbed again before it is cut. Nesting deep enough to overflow the stack (`[[[…]]]`, which
 * `JSON.parse` takes) is named, not quoted: its stack error escaped the request's classification,
 * so a retryable 5xx failed the run at once, and its text, escapes undecoded, could hold a secret
 * the scrub does not recognise.
 */
export function reserialised(parsed: unknown, scrub: (text: string) => string): string {
  let text: string;
  try {
    text = JSON.stringify(parsed);
  } catch {
    return 'a JSON body nested too deep to quote';
  }
  return oneLine(scrub(text));
}
