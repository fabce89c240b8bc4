// Preloaded (`node --import`) into the CLI that test/cli/query-duckdb-interrupt.test.ts stops with
// SIGINT during a DuckDB query. Once DuckDB has been handed a statement whose SQL holds the text
// DUCKDB_STATEMENT_MARK names, it writes that text on a line of stderr: the test's cue that the query
// runs. A timer could send the signal before the query started, or after a fast machine ended it.
import { createRequire } from 'node:module';

const { DUCKDB_STATEMENT_MARK: mark } = process.env;
// Read once, so that a process this command starts does not mark too.
delete process.env.DUCKDB_STATEMENT_MARK;

if (mark) {
  // The CLI bundle imports the package by name (it stays external): the same module as required here.
  const { DuckDBConnection } = createRequire(import.meta.url)('@duckdb/node-api');
  const prepare = DuckDBConnection.prototype.prepare;
  DuckDBConnection.prototype.prepare = async function (sql, ...rest) {
    const statement = await prepare.call(this, sql, ...rest);
    if (typeof sql === 'string' && sql.includes(mark)) {
      const run = statement.run;
      statement.run = function () {
        // DuckDB is handed the statement as run() is called, before its first await.
        const running = run.call(this);
        process.stderr.write(`${mark}\n`);
        return running;
      };
    }
    return statement;
  };
}
