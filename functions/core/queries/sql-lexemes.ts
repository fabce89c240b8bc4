/**
 * A piece of SQL text, as the code that reads catalog SQL without an engine cuts it (the
 * placeholder scan, the dates a query reads): `text` starts at `at`.
 * - `string`: a literal in single quotes; `identifier`: a name in double quotes, `name` without
 *   them. A quote inside either is written twice.
 * - `comment`: `--` to the end of the line (before a CR or LF), or a block comment to its first
 *   `*\/` (Trino does not nest them, DuckDB does: a reader that must agree with both looks inside).
 * - `placeholder`: a `?`, with the parameter named in a block comment right after it (`? /* from_dt *\/`),
 *   that comment included.
 * - `word`: a keyword or a bare name; `sign`: an operator or punctuation; `blank`: white space.
 * A string, identifier or comment left open runs to the end of the text, so nothing after it is
 * taken for code. What DuckDB has and Trino has not is not followed: `E'…'` comes as the word `E`
 * before a string, `$$…$$` as `$` signs.
 */
export type SqlLexeme =
  | { kind: 'blank' | 'comment' | 'string' | 'word' | 'sign'; at: number; text: string }
  | { kind: 'identifier'; at: number; text: string; name: string }
  | { kind: 'placeholder'; at: number; text: string; name: string | undefined };

// The quoted forms are unrolled (runs of other characters, then each doubled quote and its run):
// an alternation per character made V8 keep state per character and overflow the stack at ~8 MB.
const LEXEME =
  /(?<blank>\s+)|(?<comment>--[^\n\r]*|\/\*[\s\S]*?(?:\*\/|$))|(?<string>'[^']*(?:''[^']*)*'?)|"(?<identifier>[^"]*(?:""[^"]*)*)"?|\?(?:\s*\/\*\s*(?<placeholder>[a-z][a-z0-9_]*)\s*\*\/)?|(?<word>[A-Za-z_][A-Za-z0-9_$]*)|>=|<=|<>|!=|\|\||::|[\s\S]/y;

/** SQL text cut into {@link SqlLexeme}s, in order, covering all of it. */
export function* sqlLexemes(sql: string): Generator<SqlLexeme> {
  const pattern = new RegExp(LEXEME);
  // No alternative matches nothing, and the last matches any character: only the end stops it.
  for (let match = pattern.exec(sql); match !== null; match = pattern.exec(sql)) {
    const { blank, comment, string, identifier, placeholder, word } = match.groups ?? {};
    const at = match.index;
    const text = match[0];
    if (identifier !== undefined)
      yield { kind: 'identifier', at, text, name: identifier.replaceAll('""', '"') };
    else if (text.startsWith('?')) yield { kind: 'placeholder', at, text, name: placeholder };
    else if (blank !== undefined) yield { kind: 'blank', at, text };
    else if (comment !== undefined) yield { kind: 'comment', at, text };
    else if (string !== undefined) yield { kind: 'string', at, text };
    else if (word !== undefined) yield { kind: 'word', at, text };
    else yield { kind: 'sign', at, text };
  }
}
