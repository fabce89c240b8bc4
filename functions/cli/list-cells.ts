import type { QueryResult, QueryRow } from '../core/ports.ts';
import { listColumnsOf, listItems } from '../core/queries/list-columns.ts';

/**
 * How `query` prints a list column (core/queries/list-columns.ts): the table and the CSV show
 * visible text, so the control character that joins the items, which their cleaning drops, would
 * run two addresses into a third (`107.208.136.16244.226.102.150`); JSON is read by machines,
 * which get the items themselves rather than a convention to split by.
 */

/**
 * What the table and the CSV show between two items: a semicolon, not a comma, as an address text
 * kept whole may hold a comma (a forwarded-for list), and one can still split the cell on `; `.
 */
const SHOWN_LIST_SEPARATOR = '; ';

const textOf = (value: QueryRow[string] | undefined): string | null =>
  value === undefined || value === null ? null : String(value);

/** The rows with each list column's items joined by {@link SHOWN_LIST_SEPARATOR}: for the table and the CSV. */
export function listsShown(query: string, result: QueryResult): QueryResult {
  const columns = listColumnsOf(query);
  if (columns.length === 0) return result;
  const rows = result.rows.map((row) => {
    const shown: QueryRow = { ...row };
    for (const column of columns) {
      const value = textOf(row[column]);
      shown[column] = value === null ? null : listItems(value).join(SHOWN_LIST_SEPARATOR);
    }
    return shown;
  });
  return { ...result, rows };
}

/** The rows with each list column as an array of its items (empty for none): for JSON. */
export function listsAsArrays(query: string, rows: readonly QueryRow[]): Record<string, unknown>[] {
  const columns = listColumnsOf(query);
  if (columns.length === 0) return [...rows];
  return rows.map((row) => {
    const split: Record<string, unknown> = { ...row };
    for (const column of columns) split[column] = listItems(textOf(row[column]));
    return split;
  });
}
