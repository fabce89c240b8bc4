import { resolve } from 'node:path';
import { NotReadOnlySqlError } from '../adapters/read-only-sql.ts';
import { errorMessage } from '../core/error-message.ts';
import type { QueryResult } from '../core/ports.ts';
import type { CommandIo } from './command-io.ts';
import { shellWord } from './command-line.ts';
import type { EngineValues } from './engine-target.ts';
import { explainPlanText } from './explain-plan-text.ts';
import { fitProse } from './fit-prose.ts';
import { jsonOutput } from './json-output.ts';
import { givenFlags, optionValue } from './options.ts';
import { showingWhile } from './phase-status.ts';
import { portabilityLines } from './portable-sql.ts';
import { toCsv } from './query-csv.ts';
import { parseFormat } from './query-format.ts';
import { NOTHING_PRINTED, onEngine } from './query-on-engine.ts';
import { type ProvenanceQuery, provenanceEngine, sha256Text, writeProvenance } from './query-provenance.ts';
import { emitRows, rowsDestination } from './query-rows-destination.ts';
import type { QueryCommandDeps, QueryCommandResult } from './query-run-types.ts';
import { sqlFailure } from './query-sql-failure.ts';
import { sqlFromFile } from './query-sql-file.ts';
import { tableOutput } from './query-table.ts';
import { rowsText } from './rows-text.ts';
import { unboundedScanLine } from './unbounded-scan.ts';
import { UsageError } from './usage-error.ts';
import { sqlTimestamps } from './utc-instants.ts';

/** Options that shape a catalog query and mean nothing to SQL run as written. */
const CATALOG_ONLY = ['all', 'from', 'to', 'limit', 'time-zone', 'param', 'instance'] as const;

/**
 * How to say in the SQL itself what each catalog option given beside `--sql` would have said: a
 * `--limit` goes into a LIMIT, not the WHERE the instance and the period go into.
 */
function sqlAdvice(given: readonly string[], limit: unknown): string {
  const has = (...flags: string[]) => flags.some((flag) => given.includes(flag));
  const rows = typeof limit === 'string' && /^\d+$/.test(limit.trim()) ? limit.trim() : '<n>';
  return [
    has('--all') && '--all runs every catalog query, not your SQL: give --all or --sql, not both',
    has('--instance', '--from', '--to') &&
      "put the instance and the period in its WHERE (e.g. WHERE instance = 'main' AND dt BETWEEN '2026-11-16' AND '2026-11-22')",
    has('--time-zone') &&
      'convert event_time to the zone in the SQL itself, as the catalog queries do (functions/queries/*.sql)',
    has('--limit') && `end the SQL with LIMIT ${rows} instead (e.g. --sql "SELECT ... LIMIT ${rows}")`,
    has('--param') && "write the values into the SQL: --param sets a catalog query's parameters",
  ]
    .filter((advice) => advice !== false)
    .join('; ');
}

/**
 * The user's SQL as its provenance names it: by its text, or, read from a file, by the file and the
 * text's hash only: the file is what keeps a literal in it (an old secret searched for) out of
 * places others read, the provenance handed over with the rows among them.
 */
function sqlProvenance(sql: string, file: string | undefined): ProvenanceQuery {
  const sqlSha256 = sha256Text(sql);
  if (file === undefined) return { sql, sqlSha256 };
  return { sqlFile: file === '-' ? '-' : resolve(file), sqlSha256 };
}

/** Runs SQL the user wrote, as written, over the lake's tables; prints its rows. */
export async function adHocQuery(
  values: {
    format: string;
    sql?: string;
    'sql-file'?: string;
    provenance?: string;
    out?: string;
    force?: boolean;
    [option: string]: unknown;
  } & EngineValues,
  positionals: readonly string[],
  io: CommandIo,
  deps: QueryCommandDeps,
): Promise<QueryCommandResult> {
  const file = values['sql-file'];
  const flag = file === undefined ? '--sql' : '--sql-file';
  if (file !== undefined && values.sql !== undefined) {
    throw new UsageError('--sql and --sql-file each give the SQL to run: give one of them');
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `${flag} runs your SQL instead of a catalog query: leave out ${positionals.join(', ')}`,
    );
  }
  const given = givenFlags(values, CATALOG_ONLY);
  if (given.length > 0) {
    throw new UsageError(
      `${flag} runs the SQL as written, so ${given.join(', ')} would change nothing: ${sqlAdvice(given, values.limit)}`,
    );
  }
  const format = optionValue('--format', values.format, parseFormat);
  // Read once every option is known good: a refusal must not wait for a stdin that never ends.
  const sql = file === undefined ? (values.sql ?? '') : await sqlFromFile(file, io);
  if (sql.trim() === '') {
    throw new UsageError(
      file === undefined
        ? '--sql is empty: give the SQL to run, e.g. --sql "SELECT count(*) FROM activity_log"'
        : `--sql-file ${shellWord(file)} holds no SQL: give a file holding the SQL to run (- : stdin)`,
    );
  }
  const { out, provenance, width } = rowsDestination(values, io);
  // Only warned: the SQL still runs as written.
  const portability = portabilityLines(sql) + unboundedScanLine(sql);
  io.stderr.write(fitProse(portability, io.stderr));
  return onEngine(
    values,
    io,
    deps,
    { what: 'your SQL', undone: NOTHING_PRINTED },
    async ({ engine, where, region }, run) => {
      const result = await showingWhile(io.stderr, `query: running your SQL on ${where}`, () =>
        engine.runReadOnlySql(sql, 'your SQL', run),
      ).catch((error: unknown) => {
        // Refused before it ran, as a mistake in the command: nothing was read or written.
        if (error instanceof NotReadOnlySqlError) throw new UsageError(`${flag}: ${error.message}`);
        throw new Error(sqlFailure(errorMessage(error)), { cause: error });
      });
      const { json, warning } = sqlTimestamps(sql, result);
      const output = rowsText(format, result.rows.length, () =>
        format === 'table'
          ? tableOutput(`SQL on ${where}`, result, [], width, explainPlanText(sql, result))
          : machineOutput(format, result, json),
      );
      const rowsFile = emitRows(io, out, output);
      const timesLine =
        warning === undefined
          ? ''
          : `warning: DuckDB and Athena differ: ${warning} (docs/queries.md, Times are UTC)\n`;
      if (timesLine !== '') io.stderr.write(fitProse(timesLine, io.stderr));
      writeProvenance(provenance, {
        nowMs: (deps.now ?? Date.now)(),
        query: sqlProvenance(sql, file),
        engine: await provenanceEngine(values, { region }),
        rows: { count: result.rows.length },
        notes: [portability, timesLine],
        output: { format, text: output, file: rowsFile },
      });
      return { query: 'sql', params: { sql }, result };
    },
    { everyInstance: true, format },
  );
}

/**
 * JSON or CSV: the rows alone, for machines. JSON's times carry their zone (`Z`): a parser reads a
 * zoneless one as local. CSV's keep the engines' `2026-11-30 14:03:00.000`, UTC: a spreadsheet has
 * no zone to misread it in, reads that form as a date, and keeps a `...T...Z` one as text (review
 * R-REPORTID M4). `json`: the rows JSON writes, whose times are written with `Z` only when the SQL
 * cannot have made a local clock of one (utc-instants.ts).
 */
const machineOutput = (format: 'json' | 'csv', result: QueryResult, json: QueryResult): string =>
  format === 'json' ? jsonOutput(json.rows) : toCsv(result);
