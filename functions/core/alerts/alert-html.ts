/** A message's HTML part: one column, one alert per row, the notes and the query to dig further. */
import { clip } from '../mail/clip.ts';
import { contentStart } from '../mail/content-start.ts';
import { esc } from '../mail/html-escape.ts';
import { escName } from '../mail/html-name.ts';
import { OUTLOOK_COLUMN_END, outlookColumnStart } from '../mail/outlook-column.ts';
import { RENDER_LIMITS } from '../mail/render-limits.ts';
import type { Alert } from './alert.ts';
import type { AlertMessageOptions } from './alert-message-options.ts';
import { row } from './alert-row.ts';
import { CARD_ORDER_WORDS, type Cards, FAILURE_KINDS } from './card-order.ts';
import { IN_ATHENA } from './dig-further.ts';
import { digIntro } from './dig-intro.ts';
import type { Note } from './message-note.ts';
import { REPEATED_ROW, repeatedIds } from './repeat-note.ts';

/** The widest the message's column gets, Outlook for Windows included. */
const COLUMN_PX = 640;

/**
 * Opens an alert's first two lines (its kind, in bold, and time; then whose) as a heading, so a
 * screen reader can jump from alert to alert and hears whom each is about. Font, size, weight, colour, margin and line height are set, so it
 * looks as the line it was, and Outlook and Gmail do not give it their heading styles.
 */
const ALERT_HEADING =
  '<h2 style="margin:0;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:normal;font-weight:normal;color:#222">';

/**
 * A failure kind's label: white on red, as the weekly report's finding badges, so the alerts to act
 * on stand out among logins at an unusual hour. Kept whole on a line. Forced dark mode keeps the
 * pair's contrast (it inverts both). Its transparent border is drawn in the reader's text colour
 * under forced colours (Windows' high contrast), which drop the red: without it the label was
 * plain bold words (review R-A11Y L8); a pixel less padding keeps its size.
 */
const FAILURE_LABEL =
  'style="background-color:#b3261e;border:1px solid transparent;color:#ffffff;padding:0 3px;white-space:nowrap"';

const kindLabel = (alert: Alert, what: string): string =>
  FAILURE_KINDS.has(alert.kind) ? `<b ${FAILURE_LABEL}>${esc(what)}</b>` : `<b>${esc(what)}</b>`;

/** Lets any string break anywhere, as the weekly report's cells do. */
const WRAP = 'word-break:break-word;overflow-wrap:anywhere;';

/**
 * The mail's title as its one `<h1>`, styled in full as the report's is, so no client's own
 * heading styles apply; the alerts' headings are its `<h2>`s (review R-PHONE L4). It wraps
 * anywhere ({@link WRAP}): a 40-character instance name without a hyphen widened a 375-px phone's
 * page past the screen (brief R3ALERT 4).
 */
const TITLE = `<h1 style="margin:16px 0 8px;font-family:Arial,Helvetica,sans-serif;font-size:18px;line-height:normal;font-weight:bold;color:#222;${WRAP}">`;

/**
 * Every paragraph at the alerts' 14 px: the notes and the query's sentence after the table were a
 * client's default 16 px, larger than the alerts they are about (review R-PHONE L4).
 */
const PARAGRAPH = 'font-size:14px;';

/**
 * The longest line of a note's text in the HTML source, in octets: RFC 5322's 998, less room for
 * the paragraph's tags around its first and last lines.
 */
const NOTE_LINE_OCTETS = 900;

const octetsOf = (text: string): number => new TextEncoder().encode(text).byteLength;

/**
 * Escaped text on lines of the source of at most {@link NOTE_LINE_OCTETS}, broken at spaces (a line
 * break is white space, rendered as the space it replaces); as it was when it fits one. The late
 * line with an error's gist of 160 characters, each of which may escape to 6 octets, passed them.
 */
function foldedHtml(html: string): string {
  if (octetsOf(html) <= NOTE_LINE_OCTETS) return html;
  const lines: string[] = [];
  let line = '';
  for (const word of html.split(' ')) {
    const longer = line === '' ? word : `${line} ${word}`;
    if (line !== '' && octetsOf(longer) > NOTE_LINE_OCTETS) {
      lines.push(line);
      line = word;
    } else line = longer;
  }
  lines.push(line);
  return lines.join('\n');
}

/**
 * An evidence's HTML, folded at its spaces onto lines of the source within RFC 5322's 998 octets.
 * One run of escaped characters longer than a line (480 `"` are 2,880 octets: only a hostile
 * Domo string is) shows as much as the weekly report shows instead, which fits one line.
 */
function evidenceHtml(evidence: string): string {
  const folded = foldedHtml(esc(evidence));
  if (folded.split('\n').every((line) => octetsOf(line) <= NOTE_LINE_OCTETS)) return folded;
  return esc(clip(evidence, RENDER_LIMITS.evidence));
}

/** A box of text to copy (a query, a command line), kept whole, wrapped anywhere on a phone. */
const COPY_BOX = `style="background:#f4f4f4;padding:8px;white-space:pre-wrap;${WRAP}"`;

/**
 * A note as a paragraph (the HTML part's, which wraps it anywhere already) and its copy in a box
 * below it, as the query to dig further is: inside the paragraph, the command to list the alerts
 * not listed wrapped mid-path in 16-px prose (review R-PHONE M5). Each on lines of the source of
 * their own: a sentence naming earlier messages and a query of their ids on one line passed RFC
 * 5322's 998 octets.
 */
const noteHtml = (note: Note, bold = false): string => {
  const text = foldedHtml(note.html ?? esc(note.text));
  const paragraph = `<p style="${PARAGRAPH}${WRAP}">${bold ? `<b>${text}</b>` : text}</p>`;
  return note.copy === undefined ? paragraph : `${paragraph}\n<pre ${COPY_BOX}>${esc(note.copy)}</pre>`;
};

export function htmlOf(
  subject: string,
  cards: Cards,
  notes: { above: readonly Note[]; below: readonly Note[] },
  query: string,
  options: AlertMessageOptions,
  repeat: Note | undefined,
): string {
  const dig = options.digFurther ?? IN_ATHENA;
  // One alert per row, its facts stacked in one cell: five columns cannot fit a phone, and long
  // unbroken Domo strings (names, IPv6 addresses) must wrap anywhere rather than widen the page.
  const cell = `style="padding:8px 4px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;${WRAP}"`;
  const again = repeatedIds(options);
  const { listed } = cards;
  const rows = listed
    .map((alert) => {
      const r = row(alert, options);
      // The lines under the heading: a `<br>` right after the heading's block was an empty line.
      const late = r.late === undefined ? '' : `${esc(r.late)}\n<br>`;
      const mark = again.has(alert.id) ? ` <b>(${REPEATED_ROW})</b>` : '';
      // A line each (RFC 5322's 998 octets, as html-section.ts says the report keeps them):
      // escaped, an evidence of `"` alone was 960 octets at 160 characters ({@link evidenceHtml}), and the row on one line was 1,695.
      // The time whole: at 320 px it broke at a hyphen of its date, `2026-11-` / `27 01:05`
      // (review R-PHONE2).
      // The id in small type after the IP: at 14 px its 32 characters took a line of their own
      // on a phone (review R-PHONE L5); the operator still has it to look the alert up. 12 px,
      // no less (review R-A11Y L7): beside a long IP at 375 px it goes to the next line whole,
      // joined to its label, rather than split mid-id or shrunk to stay.
      // The user inside the heading, on its line under the kind as before: heading navigation
      // listed "lockout · <time>" alert after alert without whose (review R-A11Y L1), and the
      // kind, time and name on one line wrapped on a phone.
      return `<tr><td ${cell}>${ALERT_HEADING}${kindLabel(alert, r.what)} &middot; <span style="white-space:nowrap">${esc(r.when)}</span>\n<br>${escName(r.user)}</h2>\n${late}${evidenceHtml(r.evidence)}\n<br><span style="color:#555">IP ${esc(r.ip)}\n&middot; <span style="font-size:12px">alert&nbsp;${esc(alert.id)}</span></span>${mark}</td></tr>`;
    })
    .join('\n');
  // The order's line above the layout table, not a header cell in it: role="presentation" takes a
  // header's meaning away (review R-PHONE L4).
  const table = listed.length
    ? `<p style="${PARAGRAPH}margin-bottom:0;${WRAP}"><b>Alerts, ${CARD_ORDER_WORDS} (times in ${esc(options.timeZone)})</b></p>\n<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="width:100%;max-width:${COLUMN_PX}px;border-collapse:collapse;font-size:14px">\n${rows}\n</table>`
    : '';
  return [
    // The language and title a screen reader announces (the subject, as the weekly report's is).
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="x-apple-disable-message-reformatting"><title>${esc(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#222">',
    contentStart(subject),
    // One column as wide as the table at most: on a desktop the notes and the query ran the
    // window's full width beside a table capped at 640 px. Outlook for Windows ignores max-width
    // and ran it all full width: its own fixed column holds it, as the weekly report's does.
    outlookColumnStart(COLUMN_PX),
    `<div style="max-width:${COLUMN_PX}px">`,
    repeat === undefined ? '' : noteHtml(repeat, true),
    `${TITLE}Security alerts for the Domo instance ${esc(options.instance)}</h1>`,
    ...notes.above.map((note) => noteHtml(note)),
    cards.count === undefined ? '' : `<p style="${PARAGRAPH}${WRAP}"><b>${esc(cards.count)}</b></p>`,
    table,
    ...notes.below.map((note) => noteHtml(note)),
    `<p style="${PARAGRAPH}">${esc(digIntro(dig, options))}</p>`,
    `<pre ${COPY_BOX}>${esc(dig.copy(query))}</pre>`,
    '</div>',
    OUTLOOK_COLUMN_END,
    '</div>',
    '</body></html>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
