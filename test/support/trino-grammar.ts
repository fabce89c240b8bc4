/**
 * Trino's grammar (Athena's dialect) from dt-sql-parser, its parser only: the package's root
 * declarations pull in seven dialects' parser types (4.4 MB) for the one method the tests call, so
 * it is loaded through a variable specifier (test/queries/sql-grammar.test.ts says more).
 */
const TRINO_PARSER: string = 'dt-sql-parser/dist/parser/trino/index.js';
const { TrinoSQL } = (await import(TRINO_PARSER)) as {
  TrinoSQL: new () => { validate(sql: string): unknown[] };
};

/** Parses SQL as Athena would; `validate` lists the syntax errors, none for good SQL. */
export const trino = new TrinoSQL();
