import type { QueryResult, QueryValue } from '../core/ports.ts';
import { visibleText } from '../core/visible-text.ts';

const cellText = (value: QueryValue): string => (value === null ? '' : String(value));

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * A text cell a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, or any of them after a
 * tab or line break) gets a leading `'`: the CSV is opened by admins, and the text came from Domo
 * users. A plain decimal number (`-100000`, an id as text) is no formula and holds nothing else:
 * left as it is, so it reads as the number it is (review F-QUERYCLI 4).
 */
const spreadsheetSafe = (text: string): string =>
  /^[=+\-@\t\n]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * RFC 4180 CSV of visible text (as the table): a header line, CRLF line ends, fields with a comma,
 * quote or line break quoted. A CR or CRLF within a text becomes LF: RFC 4180 allows either in
 * a quoted field, but a terminal's `cat` obeys the CR, so `x\r7,Maria Admin,0` drew a row that
 * is not there over the one that is. So the only CR printed ends a record.
 */
export function toCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const names = result.columns.map((c) => c.name);
  const text = result.columns.map((c) => c.type !== 'bigint' && c.type !== 'double');
  const lines = [
    names,
    ...result.rows.map((row) =>
      names.map((name, i) => {
        // Domo strings reach a terminal or a spreadsheet: no escape sequences, no bidi overrides.
        const cell = visibleText(cellText(row[name] ?? null)).replace(/\r\n?/g, '\n');
        return text[i] ? spreadsheetSafe(cell) : cell;
      }),
    ),
  ];
  return lines.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}
