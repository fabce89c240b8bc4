/**
 * The report's bars (events per day, logins per country, the top lists): a row each, its label as
 * the row's header, then a bar drawn as table cells whose width is the value's share of the largest
 * one, the value, and an optional extra column.
 */

import { esc } from '../mail/html-escape.ts';
import type { escName } from '../mail/html-name.ts';
import type { DayCaveat } from './day-marks.ts';
import { columnHeader, emptyLine, moreLine, rowHeader, sectionBody } from './html-section.ts';
import { BAD, BAR, BAR_PART, FONT, INK, MUTED, NAME_COLUMN, WRAP } from './html-style.ts';
import { formatCount } from './number-format.ts';

export interface Bar {
  label: string;
  /** The label as HTML, when the caller escaped it itself (a row's name, {@link escName}). */
  labelHtml?: string;
  value: number;
  /** Shown right of the value, e.g. a change. */
  extra?: { text: string; colour?: string };
  /** Shown instead of the bar, value and extra when there is no figure to draw (a day not in the lake). */
  missing?: string;
  /** Shown under the label when the value is not the whole (a day in progress, events gone); the bar is paler. */
  caveats?: readonly DayCaveat[];
}

/** The bar's label, with its caveats under it in small italics (events gone in the colour of bad news). */
function barLabel(bar: Bar): string {
  const caveats = (bar.caveats ?? []).map(
    (c) =>
      `<br><span style="font-size:12px;font-style:italic;color:${c.lost ? BAD : MUTED};">${esc(c.text)}</span>`,
  );
  return (bar.labelHtml ?? esc(bar.label)) + caveats.join('');
}

/**
 * A bar's label cell: its row header. Its width (38% of the row, more for a long word of a name)
 * is set once, on the list's header row: repeated on every row it was 24 bytes of each.
 */
const barLabelCell = (html: string) =>
  rowHeader(html, `${FONT}font-size:13px;color:${INK};padding:3px 8px 3px 0;`);

/**
 * How a list of bars wraps its long names: on its table, which every cell inherits (the figures'
 * columns have their widths, so they do not wrap), rather than on every row's label.
 */
export const BARS_TABLE = WRAP;

/** A bar's row without a figure: its label, then why there is none across the other columns. */
const missingRow = (label: string, why: string, columns: number) => `<tr>
${barLabelCell(esc(label))}
<td colspan="${columns}" style="${FONT}font-size:12px;font-style:italic;color:${MUTED};padding:3px 0;">${esc(why)}</td></tr>`;

/**
 * The bar itself: a one-cell table as wide as the value's share of `max`, paler when the value is
 * not the whole; none for zero. A full-width table of a filled and a blank cell drew the same
 * bar in twice the bytes.
 */
function barCells(bar: Bar, max: number): string {
  const pct = bar.value > 0 ? Math.max(1, Math.round((100 * bar.value) / max)) : 0;
  if (pct === 0) return '';
  const colour = (bar.caveats ?? []).length > 0 ? BAR_PART : BAR;
  // Its cell is hidden from screen readers ({@link BAR_CELL}), so no role is needed; a table has no
  // border unless given one. The bar's own border, in its colour, is what shows in Windows' high
  // contrast (forced colours), which drops every background: the bars were gone (review R-A11Y
  // L8); it draws them as outlines in the reader's text colour. 10 px and the border are the 12 px
  // the bar was.
  return `<table cellpadding="0" cellspacing="0" width="${pct}%"><tr><td bgcolor="${colour}" style="background-color:${colour};border:1px solid ${colour};height:10px;line-height:10px;font-size:1px;">&nbsp;</td></tr></table>`;
}

/**
 * The bar's cell, hidden from screen readers: moving across a row, it was one more "blank" between
 * the label and its value, which says the same (review R-A11Y L3). On the cell, not the bar's
 * table in it: a bar of zero has no table, and the cell was still announced.
 */
const BAR_CELL = '<td aria-hidden="true"';

/** What a list's columns are headed: its rows' label (`day`), its value, and its extra column. */
export type BarHeaders = readonly [label: string, value: string, extra?: string];

/**
 * One row per bar: label, a filled cell sized to the value, the value, and an optional extra
 * column. Every header has its words: the labels' column was headed by an empty cell, so a screen
 * reader named no column for the day or user it read (review R-A11Y L3); an extra column without
 * a header (the cards' change, when weeks do not compare) is headed by a plain cell, not an empty
 * header.
 */
export function barRows(bars: readonly Bar[], [labelHeader, valueHeader, extraHeader]: BarHeaders): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  // The columns' widths, set once here rather than on every row.
  const look = `${FONT}font-size:12px;color:${MUTED};`;
  const header = (text: string, width: number) =>
    text === ''
      ? `<td width="${width}" style="width:${width}px;"></td>`
      : columnHeader(text, 'right', `width:${width}px;${look}padding:0 0 2px 8px;`, ` width="${width}"`);
  // The labels' share and least width, padded as they are.
  const label = columnHeader(
    labelHeader,
    'left',
    `width:38%;${NAME_COLUMN}${look}padding:0 8px 2px 0;`,
    ' width="38%"',
  );
  const head = `<tr>${label}${BAR_CELL}></td>${header(valueHeader, 64)}${extraHeader !== undefined ? header(extraHeader, 56) : ''}</tr>`;
  const rows = bars.map((bar) => {
    if (bar.missing !== undefined)
      return missingRow(bar.label, bar.missing, extraHeader === undefined ? 2 : 3);
    return `<tr>
${barLabelCell(barLabel(bar))}
${BAR_CELL} style="padding:3px 0;">${barCells(bar, max)}</td>
<td align="right" style="${FONT}font-size:13px;color:${INK};padding:3px 0 3px 8px;">${esc(formatCount(bar.value))}</td>${
      extraHeader !== undefined
        ? `<td align="right" style="${FONT}font-size:12px;color:${bar.extra?.colour ?? MUTED};padding:3px 0 3px 8px;">${esc(bar.extra?.text ?? '')}</td>`
        : ''
    }</tr>`;
  });
  return head + rows.join('\n');
}

/** A section's bars and how many were left out, or the line that says it has none; `id` its title's. */
export const list = (
  id: string,
  bars: readonly Bar[],
  empty: string,
  headers: BarHeaders,
  more = 0,
  what = '',
) =>
  sectionBody(
    bars.length === 0 && more === 0 ? emptyLine(empty) : barRows(bars, headers) + moreLine(more, what, 4),
    bars.length > 0 ? id : undefined,
    BARS_TABLE,
  );
