import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readRunCache, runCacheFile, writeRunCache } from '../../support/run-cache.ts';

/**
 * What Trino's grammar (dt-sql-parser) says of a query: its syntax errors, the functions it calls,
 * and how many of its `?` stand outside a WHERE clause.
 *
 * Each answer is kept for later runs in node_modules/.cache/domo-activity-lake/trino-verdicts.json,
 * under a key of the question, the query's text, the parser's version and this file's text, so a
 * query read before is answered the same way again and a changed query, a changed check or another
 * parser is parsed anew. Why: importing the Trino grammar and its first parse were ~3.5 of the
 * SQL grammar test's ~4 CPU-s under coverage (2.3 s evaluating the generated parser, 1.3 s building
 * its prediction tables), for a catalog that rarely changes. The parser is imported only when an
 * answer is missing; a clean clone (CI) has no list and parses everything, as before.
 */

interface ParseNode {
  constructor: { name: string };
  children?: ParseNode[] | null;
  getText(): string;
}

/** The part of dt-sql-parser's Trino parser used here. */
interface TrinoParser {
  parse(sql: string): unknown;
  validate(sql: string): unknown[];
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PARSER_PACKAGE = path.join(ROOT, 'node_modules', 'dt-sql-parser', 'package.json');
const LIST = runCacheFile(ROOT, 'trino-verdicts.json');

/**
 * Only Trino's grammar: the package's index loads those of seven dialects (20 MB that Vitest must
 * transform). The specifier is a variable so the type check does not read the module's declarations
 * either: they pull in every dialect's parser types (4.4 MB; ~0.5 s of tsgo's parsing) through
 * one import, for the two methods above.
 */
const TRINO_PARSER: string = 'dt-sql-parser/dist/parser/trino/index.js';
let parser: Promise<TrinoParser> | undefined;
const trino = (): Promise<TrinoParser> => {
  parser ??= (import(TRINO_PARSER) as Promise<{ TrinoSQL: new () => TrinoParser }>).then(
    ({ TrinoSQL }) => new TrinoSQL(),
  );
  return parser;
};

/**
 * The parse tree of `sql`, made once: the function-name and the parameter checks walk the same
 * query's tree (a parse of suspicious_logins costs ~150 ms), and walking never changes it.
 */
const trees = new Map<string, ParseNode>();
async function parseTree(sql: string): Promise<ParseNode> {
  let tree = trees.get(sql);
  if (!tree) {
    tree = (await trino()).parse(sql) as ParseNode;
    trees.set(sql, tree);
  }
  return tree;
}

/** Names of every function called in `sql`, from the Trino parse tree. */
async function parsedFunctionNames(sql: string): Promise<string[]> {
  const names = new Set<string>();
  const visit = (node: ParseNode) => {
    if (node.constructor.name === 'FunctionNameContext') names.add(node.getText().toLowerCase());
    for (const child of node.children ?? []) visit(child);
  };
  visit(await parseTree(sql));
  return [...names];
}

/**
 * How many `?` of `sql` stand outside a WHERE clause: in a select list (a FILTER's WHERE
 * included), a HAVING, a JOIN's ON. Each is judged by its nearest SELECT, so a `?` in the WHERE
 * of a subquery counts as in a WHERE.
 */
async function parsedParametersOutsideWhere(sql: string): Promise<number> {
  let outside = 0;
  const visit = (node: ParseNode, chain: ParseNode[]) => {
    if (node.constructor.name === 'ParameterContext') {
      const withNode = [...chain, node];
      const select = withNode.findLastIndex((n) => n.constructor.name === 'QuerySpecificationContext');
      if (select < 0 || withNode[select + 1]?.constructor.name !== 'WhereClauseContext') outside++;
    }
    for (const child of node.children ?? []) visit(child, [...chain, node]);
  };
  visit(await parseTree(sql), []);
  return outside;
}

const VERSION = createHash('sha256')
  .update(`${readFileSync(PARSER_PACKAGE, 'utf8')}\0${readFileSync(import.meta.filename, 'utf8')}`)
  .digest('hex');

/** The answers of earlier runs (read once), and those this process gave, by {@link keyOf}. */
let known: Map<string, unknown> | undefined;
const given = new Map<string, unknown>();

function knownAnswers(): Map<string, unknown> {
  known ??= readRunCache<unknown>(LIST);
  return known;
}

const keyOf = (question: string, sql: string): string =>
  createHash('sha256').update(`${VERSION}\0${question}\0${sql}`).digest('base64');

async function answer<T>(question: string, sql: string, ask: (sql: string) => Promise<T>): Promise<T> {
  const key = keyOf(question, sql);
  const found = given.get(key) ?? knownAnswers().get(key);
  const result = found === undefined ? await ask(sql) : (found as T);
  given.set(key, result);
  return result;
}

/** The syntax errors Trino's grammar finds in `sql` (none for a query Athena v3 can parse). */
export const trinoErrors = (sql: string): Promise<unknown[]> =>
  answer(
    'errors',
    sql,
    async (text) =>
      // Through JSON, as a kept answer is: a first run and a rerun compare the same values.
      JSON.parse(JSON.stringify((await trino()).validate(text))) as unknown[],
  );

/** Names of every function `sql` calls, lower-case. */
export const trinoFunctionNames = async (sql: string): Promise<Set<string>> =>
  new Set(await answer('functions', sql, parsedFunctionNames));

/** How many `?` of `sql` stand outside a WHERE clause (see {@link parsedParametersOutsideWhere}). */
export const trinoParametersOutsideWhere = (sql: string): Promise<number> =>
  answer('outside-where', sql, parsedParametersOutsideWhere);

/** Saves this process's answers for the next run ({@link writeRunCache}; those of queries since changed are dropped). */
export function saveTrinoVerdicts(): void {
  writeRunCache(LIST, given);
}
