/**
 * The frame of each section of the report's HTML: its title (a heading), its table, the lines of
 * text a table holds besides its rows (nothing found, a warning, an aside, how many rows were left
 * out), and the headers that name a table of data's columns and rows to a screen reader.
 */

import { esc } from '../mail/html-escape.ts';
import { BAD, BRAND, DATA_TABLE, FONT, MUTED, TABLE, WRAP } from './html-style.ts';
import { formatCount } from './number-format.ts';

/**
 * A column header: `<th>` is bold and centred by default, so weight and alignment are set, to look
 * as the `<td>` it replaced did.
 */
export const columnHeader = (text: string, align: string, style: string, attributes = '') =>
  `<th scope="col"${attributes} align="${align}" style="${style}font-weight:normal;text-align:${align};">${esc(text)}</th>`;

/**
 * A row's label (a day, a user, a card) as its row header, so a screen reader names the row when
 * it reads a figure; set to look as the `<td>` it replaced did. `html` is escaped already.
 */
export const rowHeader = (html: string, style: string, attributes = '') =>
  `<th scope="row"${attributes} style="${style}font-weight:normal;text-align:left;">${html}</th>`;

/**
 * A section's title, a heading a screen reader can jump to; `id` names the section's table of data
 * (`aria-labelledby`), prefixed: a webmail's page has ids of its own. A heading's size, weight, margin and line height are all set, or Outlook and
 * Gmail give it their own: it looks as the `<div>` it replaced did.
 */
export function sectionTitle(title: string, id: string, caption?: string): string {
  return `<tr><td class="pad" style="padding:24px 12px 8px;${FONT}">
<h2 id="report-${id}" style="margin:0;${FONT}font-size:16px;line-height:normal;font-weight:bold;color:${BRAND};">${esc(title)}</h2>${
    caption ? `<div style="font-size:12px;color:${MUTED};padding-top:2px;">${esc(caption)}</div>` : ''
  }</td></tr>`;
}

/*
 * RFC 5322 caps a line of a message at 998 octets. The file mailer quoted-prints the HTML, but SES
 * builds the MIME of Simple content itself, and nothing says it re-encodes long lines. So rows and
 * the cells of a wide row start lines of their own (white space between them is not rendered), and
 * a row breaks its text before each part that holds a clipped, escaped Domo string (up to 160
 * characters of `&quot;`, 960 octets).
 */

/**
 * A section's table; `titleId` when it holds columns with headers rather than lines of text: a
 * table of data, named by its section's title ({@link sectionTitle}). `tableStyle` holds what every
 * cell inherits (how a list of bars wraps its names), set once rather than on each row.
 */
export const sectionBody = (inner: string, titleId?: string, tableStyle = '') =>
  `\n<tr><td class="pad" style="padding:0 12px;"><table ${titleId === undefined ? TABLE : `${DATA_TABLE} aria-labelledby="report-${titleId}"`} width="100%" style="width:100%;${tableStyle}">\n${inner}\n</table></td></tr>`;

export const emptyLine = (text: string) =>
  `\n<tr><td style="${FONT}font-size:13px;color:${MUTED};padding:4px 0;">${esc(text)}</td></tr>`;

/**
 * A line that says part of a section could not be judged, in the colour of bad news and said in
 * words too, as the text part's `NOTE:`: the red alone was lost on a screen reader and in forced
 * colours, where it read as one more line of description (review R-A11Y M4).
 */
export const warnLine = (text: string, columns = 1) =>
  `\n<tr><td colspan="${columns}" style="${FONT}font-size:13px;color:${BAD};padding:4px 0;${WRAP}"><b>Note:</b> ${esc(text)}</td></tr>`;

/** A line that explains rather than warns, set apart from the rows above it. */
export const asideLine = (text: string, columns = 1) =>
  `\n<tr><td colspan="${columns}" style="${FONT}font-size:12px;line-height:17px;color:${MUTED};padding:8px 0 2px;${WRAP}">${esc(text)}</td></tr>`;

export const moreLine = (
  more: number,
  what: string,
  columns = 5,
  archived = 'all of them are in the archived report JSON',
) =>
  more > 0
    ? `\n<tr><td colspan="${columns}" style="${FONT}font-size:12px;color:${MUTED};padding:6px 0;">and ${esc(formatCount(more))} more ${esc(what)} (${esc(archived)})</td></tr>`
    : '';
