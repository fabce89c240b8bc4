/**
 * Tables for a terminal that never wrap into broken lines: `status`, `query` and `alerts` lay
 * their rows out here. A terminal wraps a line wider than itself at its last column, in the middle
 * of a word, and the wrapped rest starts under the first column, where it reads as a row of its
 * own; so a table too wide for the terminal is laid out differently instead, and nothing is cut.
 * A pipe or a file has no width and gets the table as it is, every cell whole.
 */
import {
  displayWidth,
  inColumn,
  padEndToWidth,
  padStartToWidth,
  wrapToWidth,
} from '../core/display-width.ts';

/** The width of a terminal stream; unbounded for a pipe or a file, which never wrap. */
export function terminalWidth(stream: NodeJS.WritableStream): number {
  const tty = stream as Partial<NodeJS.WriteStream>;
  return tty.isTTY && tty.columns ? tty.columns : Number.POSITIVE_INFINITY;
}

interface TerminalTable {
  header: readonly string[];
  /** Cells on one line each (no line breaks or tabs), as many as the header. */
  rows: readonly (readonly string[])[];
  /** Per column, `r` right-aligns it (numbers); any other letter, or none, left-aligns it. */
  align?: string;
  /** A line of dashes under the header. */
  rule?: boolean;
}

/**
 * The narrowest the last column is wrapped in before the table becomes blocks: below it, text
 * breaks every few words, and a block's whole line reads better.
 */
const MIN_WRAPPED_COLUMN = 30;

/** The narrowest a block's values are wrapped to, however narrow the terminal. */
const MIN_BLOCK_VALUE = 16;

const GAP = '  ';

/**
 * The table's lines for a terminal `maxWidth` columns wide, widths counted in columns of a
 * fixed-width font ({@link displayWidth}):
 * - as it is (every cell whole, on one line) when it fits;
 * - else, when only a long last column (an alert's evidence) is too wide, with that column's text
 *   wrapped between words within it, the other columns as they are;
 * - else each row as a block of `name  value` lines, values wrapped within the terminal, a blank
 *   line between blocks.
 */
export function fitTable(table: TerminalTable, maxWidth = Number.POSITIVE_INFINITY): string[] {
  const widths = columnWidths(table);
  const whole = [table.header, ...table.rows].map((row) => laidOut(table, widths, row)[0] ?? '');
  const lines = table.rule ? [whole[0] ?? '', rule(widths), ...whole.slice(1)] : whole;
  if (lines.every((line) => displayWidth(line) <= maxWidth)) return lines;
  const last = widths.length - 1;
  const room = maxWidth - widths.slice(0, last).reduce((sum, w) => sum + w + GAP.length, 0);
  if (last > 0 && table.align?.[last] !== 'r' && room >= MIN_WRAPPED_COLUMN) {
    const narrowed = [...widths.slice(0, last), room];
    const body = table.rows.flatMap((row) => laidOut(table, narrowed, row));
    const header = laidOut(table, narrowed, table.header);
    return [...header, ...(table.rule ? [rule(narrowed)] : []), ...body];
  }
  return blocks(table, maxWidth);
}

/**
 * The width of each column: its widest cell, header included. Found by a loop, not by spreading a
 * column into `Math.max`: a call's arguments live on the stack, and a query's 300,000 rows overflowed
 * it (`Maximum call stack size exceeded` instead of the table).
 */
export function columnWidths(table: Pick<TerminalTable, 'header' | 'rows'>): number[] {
  const widths = table.header.map(displayWidth);
  for (const row of table.rows)
    for (const [i, width] of widths.entries()) widths[i] = Math.max(width, displayWidth(row[i] ?? ''));
  return widths;
}

const rule = (widths: readonly number[]): string => widths.map((w) => '-'.repeat(w)).join(GAP);

/**
 * One row as lines: every column padded to its width, the last one's text wrapped within its
 * width (one line when it fits, as it does unless the table is narrowed).
 */
function laidOut(table: TerminalTable, widths: readonly number[], row: readonly string[]): string[] {
  const last = widths.length - 1;
  const lastWidth = widths[last] ?? 0;
  const lastCell = row[last] ?? '';
  const pieces = displayWidth(lastCell) <= lastWidth ? [lastCell] : wrapToWidth(lastCell, lastWidth);
  const indent = ' '.repeat(widths.slice(0, last).reduce((sum, w) => sum + w + GAP.length, 0));
  const first = row.map((cell, i) => {
    const width = widths[i] ?? 0;
    if (table.align?.[i] === 'r') return padStartToWidth(cell, width);
    return i === last ? (pieces[0] ?? '') : padEndToWidth(inColumn(cell), width);
  });
  return [first.join(GAP).trimEnd(), ...pieces.slice(1).map((piece) => `${indent}${piece}`)];
}

/** Each row as `name  value` lines, values wrapped to the terminal, a blank line between rows. */
function blocks(table: TerminalTable, maxWidth: number): string[] {
  const labelWidth = Math.max(...table.header.map(displayWidth));
  const valueWidth = Math.max(MIN_BLOCK_VALUE, maxWidth - labelWidth - GAP.length);
  const indent = ' '.repeat(labelWidth + GAP.length);
  return table.rows.flatMap((row, index) => {
    const lines = table.header.flatMap((label, i) => {
      const [first = '', ...rest] = wrapToWidth(row[i] ?? '', valueWidth);
      return [`${padEndToWidth(label, labelWidth)}${GAP}${first}`.trimEnd(), ...rest.map((l) => indent + l)];
    });
    return index === 0 ? lines : ['', ...lines];
  });
}

/**
 * A line of prose (a title, a note) for a terminal `maxWidth` wide: whole when it fits, else
 * wrapped between words, each line keeping its indentation.
 */
export function wrapLine(line: string, maxWidth = Number.POSITIVE_INFINITY): string[] {
  if (displayWidth(line) <= maxWidth) return [line];
  const indent = /^ */.exec(line)?.[0] ?? '';
  return wrapToWidth(line.slice(indent.length), Math.max(1, maxWidth - indent.length)).map(
    (piece) => indent + piece,
  );
}
