import { sqlLexemes } from './sql-lexemes.ts';

/**
 * One query of the catalog (DESIGN §3.4), parsed from its SQL text. Pure: the text comes from
 * whoever loads the files (the Lambda's bundle, the CLI's directory, a test). Each file starts with
 * a header that says what it answers:
 *
 * ```
 * -- <name>: <one line: what it answers>
 * -- <more lines of explanation>
 * -- params: instance, from_dt, to_dt, from_ts, to_ts[, extra...]
 * -- columns: col1, col2, ...
 * ```
 *
 * Every `?` placeholder in the body names the parameter it takes in a comment right after it
 * (`? /* from_ts *\/`), because a parameter may be needed more than once (literal `dt` bounds are
 * what let Athena prune partitions, so they cannot come from a CTE). Callers pass named values;
 * the engines turn them into the positional list they bind ({@link QueryDefinition.placeholders}).
 */
export interface QueryDefinition {
  name: string;
  /** The header's first line after `<name>:`. */
  description: string;
  /** The header's other explanation lines, joined with spaces. */
  details: string;
  /** Named parameters from the `params:` line, in that order: what a caller must supply. */
  params: string[];
  /** The parameter each `?` takes, in text order (names may repeat): what the engines bind. */
  placeholders: string[];
  /** Output columns from the `columns:` line (empty when the file has none). */
  columns: string[];
  sql: string;
}

const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** The `?` placeholders of SQL text, in order: not those inside literals, quoted names or comments. */
const placeholders = (sql: string) => [...sqlLexemes(sql)].filter((lexeme) => lexeme.kind === 'placeholder');

/**
 * The `?` placeholders of SQL text, in order, each with the name in the block comment right after
 * it (undefined when it has none). Question marks inside string literals (regular expressions),
 * quoted identifiers and comments are not placeholders, for Trino and DuckDB alike.
 */
export function placeholderNames(sql: string): (string | undefined)[] {
  return placeholders(sql).map(({ name }) => name);
}

/**
 * The SQL with every `?` placeholder replaced by its value as a quoted string literal (`'` doubled),
 * in order. For engines or consoles that cannot take a parameter where the catalog puts one; the
 * values are the same strings the engines bind, so the results are the same.
 */
export function inlineParameters(sql: string, values: readonly string[]): string {
  const cuts = placeholders(sql);
  if (cuts.length !== values.length) {
    const placeholders = `${cuts.length} placeholder${cuts.length === 1 ? '' : 's'}`;
    const given = `${values.length} ${values.length === 1 ? 'value was' : 'values were'} given`;
    throw new Error(`the SQL has ${placeholders} but ${given}`);
  }
  let out = '';
  let from = 0;
  cuts.forEach(({ at, text }, index) => {
    out += `${sql.slice(from, at)}'${(values[index] ?? '').replaceAll("'", "''")}'`;
    from = at + text.length;
  });
  return out + sql.slice(from);
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

interface Header {
  description: string;
  details: string[];
  params: string[] | undefined;
  columns: string[];
}

/**
 * The description is the first sentence of the header's first line (`query --list` shows it on one
 * line); whatever follows it on that line begins the details, so the whole header is said once.
 */
function firstSentence(name: string, line: string): { description: string; rest: string } {
  const first = line.startsWith(`${name}:`) ? line.slice(name.length + 1).trim() : line;
  const end = first.search(/\.\s/);
  return end === -1
    ? { description: first, rest: '' }
    : { description: first.slice(0, end + 1), rest: first.slice(end + 1).trim() };
}

function readHeader(name: string, lines: readonly string[]): Header {
  const header: Header = { description: '', details: [], params: undefined, columns: [] };
  lines.forEach((line, index) => {
    const field = /^(params|columns):(.*)$/.exec(line);
    if (field?.[1] === 'params') header.params = list(field[2] ?? '');
    else if (field?.[1] === 'columns') header.columns = list(field[2] ?? '');
    else if (index === 0) {
      const { description, rest } = firstSentence(name, line);
      header.description = description;
      if (rest !== '') header.details.push(rest);
    } else if (line !== '') header.details.push(line);
  });
  return header;
}

/** Parses one catalog file. Throws, naming the file and the fix, when its header or placeholders are wrong. */
export function parseQuery(name: string, text: string): QueryDefinition {
  const sql = text.replace(/\r\n/g, '\n').trim();
  const lines = sql.split('\n');
  const firstCode = lines.findIndex((line) => !line.startsWith('--'));
  const bodyStart = firstCode === -1 ? lines.length : firstCode;
  const header = readHeader(
    name,
    lines.slice(0, bodyStart).map((line) => line.slice(2).trim()),
  );
  const where = `query ${name}.sql`;
  const { params } = header;
  if (params === undefined) {
    throw new Error(
      `${where} has no "-- params:" header line: list its parameters, e.g. "-- params: instance, from_dt"`,
    );
  }
  // A list of queries shows the description alone, on one line: a sentence cut by the line's end
  // read as a fragment (failed_logins_by_ip's ended "(a password").
  if (!header.description.endsWith('.')) {
    throw new Error(
      `${where}: its first header line must hold the description as one whole sentence ending in "." ` +
        `(lists show that sentence alone); it reads "${header.description}"`,
    );
  }
  const declared = new Set(params);
  const placeholders = placeholderNames(lines.slice(bodyStart).join('\n')).map((placeholder, index) => {
    if (placeholder === undefined) {
      throw new Error(
        `${where}: placeholder ${index + 1} has no name; write it as ? /* name */ with a name from "params:"`,
      );
    }
    if (!declared.has(placeholder)) {
      throw new Error(
        `${where}: placeholder ? /* ${placeholder} */ is not listed in "params: ${params.join(', ')}"`,
      );
    }
    return placeholder;
  });
  for (const param of params) {
    if (!NAME_PATTERN.test(param)) throw new Error(`${where}: parameter name "${param}" is not snake_case`);
  }
  return {
    name,
    description: header.description,
    details: header.details.join(' '),
    params,
    placeholders,
    columns: header.columns,
    sql,
  };
}
