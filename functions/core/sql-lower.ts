/**
 * A text in lower case as the catalog's SQL `lower()` makes it, to look for an ASCII word in it
 * (`lower(object_name) LIKE '%admin%'`): each character by its own simple lower case. DuckDB and
 * Athena (Java's `Character.toLowerCase`) map character by character, so `İ` (U+0130) is `i` in
 * both and here: `ADMİN` names admin to the SQL. JavaScript's `toLowerCase` maps by the full rules,
 * `İ` to `i` and a combining dot (two characters), and `/admin/i` matches no `İ` at all; the first
 * of a longer lower case is the simple one (`İ` is the only letter with one).
 */
export const sqlLower = (text: string): string => {
  let lower = '';
  for (const char of text) lower += [...char.toLowerCase()][0] ?? char;
  return lower;
};
