import { formatBytes } from '../core/byte-size.ts';
import type { QueryResult, QueryValue } from '../core/ports.ts';
import { visibleText } from '../core/visible-text.ts';
import { fitTable, wrapLine } from './terminal-table.ts';

/**
 * A title, the aligned table, notes under it, and how many rows came in how long; the title and
 * notes wrapped between words on a terminal `maxWidth` wide, as the table is fitted to it. `text`,
 * when given, stands for the table: an EXPLAIN's plan, drawn as is.
 */
export function tableOutput(
  title: string,
  result: QueryResult,
  notes: readonly string[],
  maxWidth: number,
  text?: string,
): string {
  return [
    ...wrapLine(title, maxWidth),
    '',
    text ?? toTable(result, maxWidth),
    ...notes.flatMap((note) => wrapLine(note, maxWidth)),
    '',
    `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${result.elapsedMs} ms${scannedText(result)}`,
    '',
  ].join('\n');
}

/** `, 40 KB scanned` when the engine says what it scanned (Athena), else nothing. */
export const scannedText = (result: QueryResult): string =>
  result.bytesScanned === undefined ? '' : `, ${formatBytes(result.bytesScanned)} scanned`;

/**
 * A table cell's text. NULL is spelled out, as DuckDB and Athena's console show it: a blank cell
 * read as an empty name (Domo sends `""` for some), and a group of unplaced sign-ins in
 * `logins_by_country` looked like a row without a label. Domo strings reach a terminal here: no
 * escape sequences, no bidi overrides, and on one line.
 */
const tableCellText = (value: QueryValue): string =>
  value === null ? 'NULL' : visibleText(String(value)).replace(/\s+/g, ' ');

/** Decimals a column of doubles is shown with: enough to compare, few enough to read. */
const DECIMALS = 2;

/**
 * A column of doubles as a reader compares them (`-27.67`, not `-27.67402376910017`): every value
 * with the same two decimals, so the points line up, or none when all are whole; one that would
 * show as 0.00 keeps two significant digits instead. CSV and JSON keep every digit.
 */
function doubleCells(values: readonly QueryValue[]): string[] {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const decimals = numbers.every(Number.isInteger) ? 0 : DECIMALS;
  return values.map((value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return tableCellText(value);
    const fixed = value.toFixed(decimals);
    const tiny = value !== 0 && Number(fixed) === 0;
    return tiny ? String(Number(value.toPrecision(2))) : fixed;
  });
}

/**
 * Aligned columns, numbers right-aligned, doubles rounded ({@link doubleCells}), NULL written out,
 * laid out for a terminal `maxWidth` columns wide ({@link fitTable}): every cell whole, on a pipe
 * or in a file as on a terminal wide enough, wrapped or as a block per row on a narrower one.
 */
export function toTable(
  result: Pick<QueryResult, 'columns' | 'rows'>,
  maxWidth = Number.POSITIVE_INFINITY,
): string {
  const names = result.columns.map((c) => c.name);
  const byColumn = result.columns.map((c) => {
    const values = result.rows.map((row) => row[c.name] ?? null);
    return c.type === 'double' ? doubleCells(values) : values.map(tableCellText);
  });
  const rows = result.rows.map((_, r) => byColumn.map((cells) => cells[r] ?? ''));
  const align = result.columns.map((c) => (c.type === 'bigint' || c.type === 'double' ? 'r' : 'l')).join('');
  return fitTable({ header: names.map(tableCellText), rows, align, rule: true }, maxWidth).join('\n');
}
