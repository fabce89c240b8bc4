/**
 * A text in upper case as the catalog's SQL `upper()` makes it, to compare with an ASCII name
 * (`'ACCESS_TOKEN'`, `'USER'`): each character by its own upper case when that is one character,
 * else as it is. DuckDB and Athena map character by character, so `ſ` is `S` and `ı` is `I` in
 * both and here, and the Kelvin sign `K` stays itself; JavaScript's `toUpperCase` maps by the full
 * rules, so `ß` became `SS` and `ﬆ` became `ST` (`acceß_token` equal to `ACCESS_TOKEN`, which the
 * SQL never finds it, whether its engine leaves `ß` as it is, as Athena does, or makes it `ẞ`, as
 * DuckDB does). Those stay as they are here.
 */
export const sqlUpper = (text: string): string => {
  let upper = '';
  for (const char of text) {
    const mapped = char.toUpperCase();
    upper += [...mapped].length === 1 ? mapped : char;
  }
  return upper;
};
