/**
 * Columns of the catalog that hold a short list joined into one text, and the character they join
 * it with: the unit separator, `chr(31)` in the SQL. A text column because Athena returns an array
 * as one text (`[a, b]`) that cannot be split again; the unit separator because no address text
 * holds it, where a comma or a semicolon may (a forwarded-for text without a key is kept whole).
 * It is a control character, so whoever shows such a column splits it first: a terminal or a
 * spreadsheet shows it as nothing, and two addresses would read as a third.
 */
const LIST_SEPARATOR = '\u001f';

/** The list columns of each query that has any (a test holds this to the SQL's `chr(31)`). */
export const LIST_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  failed_logins_and_lockouts: ['ips'],
  data_health: ['missing_runs'],
};

/** The list columns of a query (none for most). */
export const listColumnsOf = (query: string): readonly string[] => LIST_COLUMNS[query] ?? [];

/** The items of a list column's value: none for null (no item) or an empty text. */
export const listItems = (value: string | null | undefined): string[] =>
  value === null || value === undefined || value === '' ? [] : value.split(LIST_SEPARATOR);
