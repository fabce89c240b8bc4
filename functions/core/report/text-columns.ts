/** The text part's tables: cells aligned in columns of a fixed-width font, kept to mail's line width. */

import { displayWidth, inColumn, padEndToWidth, padStartToWidth } from '../display-width.ts';
import { TEXT_WIDTH } from '../mail/text-width.ts';
import { wrapNote } from '../wrap-note.ts';

/**
 * The widest a row of a table may be: 78 columns, the width plain-text mail keeps to (RFC 5322's
 * recommendation), where a client wraps or cuts a longer line wherever it reaches the edge.
 */
export const TABLE_WIDTH = 78;

/** Fewer columns than this left for a last column leave it whole: a word a line reads worse. */
const LEAST_WRAPPED_COLUMN = 12;

/**
 * A row's last, left-aligned cell wrapped between its words within what the row leaves of
 * {@link TABLE_WIDTH}, its further lines under its column (`Fri 20 Nov 22:59 (locked Wed 09:06)`
 * after a long name and a count of a million failures was 99 columns).
 */
function wrappedLastCell(before: string, cell: string): string {
  const room = TABLE_WIDTH - displayWidth(before);
  if (displayWidth(before) + displayWidth(cell) <= TABLE_WIDTH || room < LEAST_WRAPPED_COLUMN)
    return before + cell;
  const [first = '', ...rest] = wrapNote(cell, room, { indent: 0 });
  const under = ' '.repeat(displayWidth(before));
  return [before + first, ...rest.map((line) => under + line)].join('\n');
}

/**
 * Lays rows out in columns: `r` columns are right-aligned, the last column is not padded, and a
 * last left-aligned one wraps under itself rather than pass {@link TABLE_WIDTH} (one string a
 * row still, its lines joined). Cells
 * are measured in columns of a fixed-width font ({@link displayWidth}), not UTF-16 units, so a
 * Japanese name or one with a combining accent keeps what follows it in line; a Hebrew or Arabic
 * one is bounded by left-to-right marks ({@link inColumn}), so the figures after it stay in theirs.
 */
export function columns(rows: readonly (readonly string[])[], align: string): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  const cellText = (cell: string, i: number, last: boolean) => {
    if (align[i] === 'r') return padStartToWidth(cell, widths[i] ?? 0);
    return last ? cell : padEndToWidth(inColumn(cell), widths[i] ?? 0);
  };
  return rows.map((row) => {
    const cells = row.map((cell, i) => cellText(cell, i, i === row.length - 1));
    const last = cells.length - 1;
    if (last < 1 || align[last] === 'r') return cells.join('  ').trimEnd();
    return wrappedLastCell(`${cells.slice(0, last).join('  ')}  `, row[last] ?? '').trimEnd();
  });
}

/**
 * `label  value` lines, the labels a column of their own: a value too long for {@link TEXT_WIDTH}
 * (`19 of 190 logins (10%): run enrich for the week`) wraps between words within its column.
 */
export function labelledValues(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map(([label = '']) => displayWidth(label)));
  const indent = ' '.repeat(width + 2);
  return rows.flatMap(([label = '', value = '']) => {
    const [first = '', ...rest] = wrapNote(value, TEXT_WIDTH - indent.length, { indent: 0 });
    return [`${padEndToWidth(label, width)}  ${first}`.trimEnd(), ...rest.map((line) => indent + line)];
  });
}
