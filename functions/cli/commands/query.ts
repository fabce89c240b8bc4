import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AthenaClient } from '@aws-sdk/client-athena';
import { NotReadOnlySqlError } from '../../adapters/read-only-sql.ts';
import { formatBytes } from '../../core/byte-size.ts';
import { didYouMean } from '../../core/did-you-mean.ts';
import { wrapToWidth } from '../../core/display-width.ts';
import { parseUtcInstant } from '../../core/domo/utc-instant.ts';
import { errorMessage } from '../../core/error-message.ts';
import { lakeTimestamp, parseLakeTimestamp, TABLE_PREFIXES, utcDate } from '../../core/lake/layout.ts';
import type { QueryResult, QueryValue } from '../../core/ports.ts';
import { alignPartitionDates } from '../../core/queries/partition-dates.ts';
import { UnknownQueryError } from '../../core/queries/query-catalog.ts';
import type { QueryDefinition } from '../../core/queries/query-definition.ts';
import {
  checkParamValue,
  MAX_RANKED_ROWS,
  normalisedParamValue,
  positionalValues,
  QUERY_DEFAULTS,
  standardParams,
} from '../../core/queries/query-params.ts';
import type { QueryRunOptions } from '../../core/report/report-query-engine.ts';
import { DAY_MS, floorHour, HOUR_MS } from '../../core/time-units.ts';
import { visibleText } from '../../core/visible-text.ts';
import { wallTimeOf, zonedWallTimeToUtc } from '../../core/zoned-time.ts';
import { loadQuery, QUERY_NAMES } from '../../queries/catalog.ts';
import type { CommandIo } from '../command-io.ts';
import { shellWord } from '../command-line.ts';
import { cutRowsNote } from '../cut-rows-note.ts';
import type { DuckDbWork } from '../duckdb-interrupts.ts';
import { withEngineInterrupts } from '../engine-interrupts.ts';
import {
  type CommandEngine,
  ENGINE_HELP,
  ENGINE_OPTIONS,
  type EngineTarget,
  type EngineTargetOptions,
  type EngineValues,
  openEngineTarget,
} from '../engine-target.ts';
import { explainPlanText } from '../explain-plan-text.ts';
import { failureMessage, missingAwsCredentials } from '../failure-message.ts';
import { fitProse } from '../fit-prose.ts';
import { historyJudged, historyNotes, historyWorthAsking } from '../history-notes.ts';
import { withInstanceColumn } from '../instance-column.ts';
import { jsonOutput } from '../json-output.ts';
import { listsAsArrays, listsShown } from '../list-cells.ts';
import { noUserEventsNote } from '../no-user-events-note.ts';
import {
  givenFlags,
  type OptionSpec,
  optionValue,
  parseInstant,
  parseOptions,
  parseTimeZone,
  parseWholeNumber,
} from '../options.ts';
import { showingWhile } from '../phase-status.ts';
import { portabilityLines } from '../portable-sql.ts';
import {
  changeColumns,
  changeComparable,
  coverageNotes,
  coveredAfter,
  cutTies,
  periodCoverage,
  RANKED_QUERIES,
  READS_TO_LAST_HOUR,
  readToLastHourNote,
  uncoveredAfterNote,
} from '../query-notes.ts';
import { assertProvenanceApart, outOption, writeRowsFile } from '../query-out.ts';
import {
  type ProvenanceQuery,
  provenanceEngine,
  provenanceOption,
  rowsCutOf,
  sha256Text,
  writeProvenance,
} from '../query-provenance.ts';
import { fitTable, terminalWidth, wrapLine } from '../terminal-table.ts';
import { unboundedScanLine } from '../unbounded-scan.ts';
import { UsageError } from '../usage-error.ts';
import { sqlTimestamps, withUtcInstants } from '../utc-instants.ts';

/** The tables of every lake, as the help and errors name them. */
const LAKE_TABLES = Object.keys(TABLE_PREFIXES).join(', ');

export const queryHelp = `Usage: domo-activity-lake query <name> [options]
       domo-activity-lake query --list [--format json]
       domo-activity-lake query --all [options]
       domo-activity-lake query --sql <sql> [--format f] [engine options]
       domo-activity-lake query --sql-file <file> [--format f] [engine options]

Runs a query of the catalog (functions/queries/*.sql, docs/queries.md) over the
lake: locally with DuckDB, or with --athena on the deployed Athena workgroup.
Both run the same SQL.

Options:
  --list                   list the queries and what each answers; with
                           --format json, an array of {query, description,
                           params, executionParameters}: the last, the
                           name each ? of the SQL takes, in Athena's order
  --all                    run every query of the catalog once and say which
                           fail (a smoke test, e.g. right after the first
                           deploy: query --all --athena ...); with --format
                           json, an array of {query, ok, rows, elapsedMs, error}
                           (and bytesScanned on Athena)
  --sql <sql>              run your own SQL instead, as written, over the lake's
                           tables: ${LAKE_TABLES} (on Athena
                           also alerts once they are on); every instance: filter
                           on instance and dt in its WHERE, e.g.
                           --sql "SELECT category, count(*) AS n
                                  FROM activity_log WHERE instance = 'main'
                                  AND dt >= '2026-11-16' GROUP BY 1";
                           one read-only query only (SELECT, WITH, VALUES,
                           SHOW, DESCRIBE, EXPLAIN [ANALYZE] of a query: a
                           local one says the files it read); a warning on
                           stderr names SQL that answers otherwise on Athena
                           than on DuckDB (1/2, date_diff, GROUP BY ALL, ...:
                           Portable SQL in docs/queries.md); it still runs
  --sql-file <file>        the same, the SQL read from a file (- : from stdin),
                           so that a literal in it (an old secret searched
                           for) stays out of shell history and ps
  --from <time>            period start (2026-11-16 = midnight UTC, or
                           2026-11-16T00:00:00+01:00)
  --to <time>              period end, exclusive (default: today 00:00 UTC,
                           for user_activity and address_activity the end
                           of the lake's last hour; --from default: 7 days
                           before today 00:00)
  --instance <name>        instance name in the lake (default: the lake's only
                           instance; on Athena, the deployed one)
  --limit <n>              rows of the ranked queries (default ${QUERY_DEFAULTS.limit})
  --time-zone <zone>       IANA zone of local days and hours (default ${QUERY_DEFAULTS.timeZone})
  --param <name=value>     set any other parameter of the query (repeatable,
                           once per name), e.g. --param min_history_logins=20
                           --param history_from_ts='2026-10-01 00:00:00.000'
                           (a bound's ..._ts sets its ..._dt, the days read)
  --format <f>             table (default), json or csv; times are in UTC:
                           json writes 2026-11-30T14:03:00.000Z (with its zone),
                           csv 2026-11-30 14:03:00.000, which a spreadsheet
                           reads as a date
  --out <file>             write the rows to <file> instead of stdout, whole
                           (a temporary file renamed); refuses a file already
                           there unless --force
  --force                  replace the --out file if it exists
  --provenance <file>      also write what made the rows to <file> (JSON): the
                           query or SQL and its sha256, parameters, period
                           (UTC), engine and lake, the notes, the sha256 of
                           the rows and the --out file they went to (else
                           stdout), when, and the tool's version; replaces
                           only a file it wrote before, never the rows' file
${ENGINE_HELP}
Notes go to stderr, in every format: a period (or, for trending_cards, the
period before) that the lake covers only in part, with the change columns left
out of the table then; a ranked list whose cut at --limit falls between ties;
rows a query cut at a bound of its own (showing N of M rows: suspicious_logins,
failed_logins_and_lockouts, login_after_failures, user_activity,
address_activity and admin_changes take --param max_rows; the last three keep
the first rows in time, or the last with --param keep_rows=newest); and the
users suspicious_logins could not judge for too little history.

address_activity pivots on --param address=<ip> (IPv6 in any spelling), on
--param asn=<number> (the network owner the geo data placed the events in), or
on both.

Ctrl-C (or SIGTERM, or SIGHUP: the terminal closed) stops the query, says
what it stopped and exits 130 (143, 129); with --athena it stops the query in
Athena too (left alone it would run on, and bill).

Piping: npm prints banner lines on stdout; use \`npm run -s cli -- query ...\`
(outside the checkout: node <checkout>/bin/domo-activity-lake.js query ...) so
that --format csv or json output is clean.
`;

const spec = {
  list: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  sql: { type: 'string' },
  'sql-file': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  'time-zone': { type: 'string' },
  param: { type: 'string', multiple: true },
  format: { type: 'string', default: 'table' },
  provenance: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  ...ENGINE_OPTIONS,
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const queryOptions: OptionSpec = spec;

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/** What the tests (and other callers) can replace. */
interface QueryCommandDeps {
  now?: () => number;
  /** Used for --athena instead of a client from the environment. */
  athenaClient?: AthenaClient;
}

interface QueryCommandResult {
  query: string;
  params: Record<string, string>;
  result: QueryResult;
}

/** Below this many columns beside the names, a description goes under its name instead. */
const MIN_DESCRIPTION_WIDTH = 30;

/**
 * Lists the catalog: each query with what it answers, one line each when `maxWidth` allows (a
 * pipe: every line whole, for grep), else the description wrapped between words under its column,
 * or, on a terminal too narrow for that column, under its name, so no line wraps mid-word.
 */
function describeCatalog(maxWidth = Number.POSITIVE_INFINITY): string {
  const column = Math.max(...QUERY_NAMES.map((n) => n.length)) + 2;
  const beside = maxWidth - column >= MIN_DESCRIPTION_WIDTH;
  const entry = (name: string): string[] => {
    const description = loadQuery(name).description;
    if (!beside) return [name, ...wrapToWidth(description, Math.max(1, maxWidth - 4)).map((l) => `    ${l}`)];
    const [first = '', ...rest] = wrapToWidth(description, maxWidth - column);
    return [name.padEnd(column) + first, ...rest.map((line) => ' '.repeat(column) + line)];
  };
  return `${QUERY_NAMES.flatMap(entry).join('\n')}\n`;
}

/** `--all` runs the catalog as a smoke test: its lines are no rows to hand over. */
function refuseProvenance(values: { provenance?: string; out?: string; force?: boolean }): void {
  const given = [
    ...(values.provenance === undefined ? [] : ['--provenance']),
    ...(values.out === undefined ? [] : ['--out']),
    ...(values.force === true ? ['--force'] : []),
  ];
  if (given.length === 0) return;
  throw new UsageError(
    `--all is a smoke test of the catalog, not rows to hand over: leave ${given.join(' and ')} out`,
  );
}

/**
 * Where the rows go, checked before any lake or engine is opened: the `--out` file or stdout, and
 * the provenance file apart from them. `width`: a table's, a terminal's or, in a file, unbounded.
 */
function rowsDestination(
  values: EngineValues & { out?: string; force?: boolean; provenance?: string },
  io: CommandIo,
): { out: string | undefined; provenance: string | undefined; width: number } {
  const out = outOption(values);
  assertProvenanceApart(values.provenance, { out, stdout: io.stdout });
  const provenance = provenanceOption(values);
  return { out, provenance, width: out === undefined ? terminalWidth(io.stdout) : Number.POSITIVE_INFINITY };
}

/** Writes the rows where they go: the `--out` file whole, or stdout; returns the file, absolute. */
function emitRows(io: CommandIo, out: string | undefined, text: string): string | undefined {
  if (out === undefined) {
    io.stdout.write(text);
    return undefined;
  }
  writeRowsFile(out, text);
  return resolve(out);
}

/** Options that mean nothing to --list: it prints the catalog, and opens no lake or engine. */
const NOT_FOR_LIST = [
  'all',
  'sql',
  'sql-file',
  'from',
  'to',
  'limit',
  'time-zone',
  'param',
  'provenance',
  'out',
  'force',
  ...(Object.keys(ENGINE_OPTIONS) as (keyof typeof ENGINE_OPTIONS)[]),
] as const;

/** One query in `query --list --format json`. */
interface CatalogEntry {
  query: string;
  description: string;
  /** The parameters it takes, as --param names them. */
  params: string[];
  /**
   * The parameter each `?` of its SQL takes, in text order, repeats included: the order of
   * Athena's positional execution parameters (the saved query's), so a script builds them from
   * here and not from a copy that a new parameter reorders.
   */
  executionParameters: string[];
}

/**
 * `query --list`: the catalog as lines ({@link describeCatalog}) or, with --format json, an array of
 * {@link CatalogEntry} (the key `query`, as in `--all --format json`). Anything else given is refused,
 * naming it: a name or option that changes nothing would let a typo pass for a run.
 */
function listCatalog(
  values: { format: string } & Partial<Record<(typeof NOT_FOR_LIST)[number], unknown>>,
  positionals: readonly string[],
  io: CommandIo,
): undefined {
  if (positionals.length > 0) {
    throw new UsageError(`--list lists every query: leave out ${positionals.join(', ')}`);
  }
  const given = givenFlags(values, NOT_FOR_LIST);
  if (given.length > 0) {
    throw new UsageError(
      `--list prints the catalog and runs no query, so ${given.join(', ')} would change nothing: leave ${given.length === 1 ? 'it' : 'them'} out`,
    );
  }
  const format = optionValue('--format', values.format, parseFormat);
  if (format === 'csv') throw new UsageError('--list prints a line per query (table) or --format json');
  if (format === 'table') {
    io.stdout.write(describeCatalog(terminalWidth(io.stdout)));
    return undefined;
  }
  const entries = QUERY_NAMES.map((name): CatalogEntry => {
    const { description, params, placeholders } = loadQuery(name);
    return { query: name, description, params, executionParameters: [...placeholders] };
  });
  io.stdout.write(jsonOutput(entries));
  return undefined;
}

function queryFrom(name: string | undefined): QueryDefinition {
  if (name === undefined) throw new UsageError(`name a query: ${QUERY_NAMES.join(', ')} (or --list)`);
  try {
    return loadQuery(name);
  } catch (error) {
    if (error instanceof UnknownQueryError) throw new UsageError(unknownQueryMessage(error));
    throw error;
  }
}

/** The catalog's refusal, with the query a mistyped name most likely meant, as for a command. */
function unknownQueryMessage(error: UnknownQueryError): string {
  const near = didYouMean(error.queryName, error.known);
  if (near === undefined) return error.message;
  return `no query ${JSON.stringify(error.queryName)} (did you mean ${near}?); the catalog has: ${error.known.join(', ')}`;
}

/**
 * The period `[from, to)`: by default the 7 days to 00:00 UTC today. `openEnd` (a query of
 * READS_TO_LAST_HOUR without --to): the end of the current hour for now, so a --from of today
 * is taken; {@link periodReach} moves it back to the lake's last hour once the lake is open.
 */
function period(
  values: { from?: string; to?: string },
  now: number,
  openEnd = false,
): { fromMs: number; toMs: number } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const defaultTo = openEnd ? Math.ceil(now / HOUR_MS) * HOUR_MS : today;
  const toMs = values.to !== undefined ? parseInstant('--to', values.to) : defaultTo;
  const fromMs =
    values.from !== undefined
      ? parseInstant('--from', values.from)
      : (values.to === undefined ? today : toMs) - 7 * DAY_MS;
  if (fromMs >= toMs) {
    const end = openEnd ? 'the end of the current hour' : 'today 00:00 UTC';
    const to =
      values.to === undefined ? ` (not given: ${end}, ${openEnd ? lakeTimestamp(toMs) : utcDate(toMs)})` : '';
    throw new UsageError(`--from must be before --to${to}`);
  }
  return { fromMs, toMs };
}

/** Options given that the query has no parameter for: they would change nothing. */
function unusedOptions(
  query: QueryDefinition,
  values: { to?: string; 'time-zone'?: string; instance?: string },
): void {
  // Silently ignored, --instance would make a row of another instance look like one of its own.
  if (values.instance !== undefined && !query.params.includes('instance')) {
    throw new UsageError(
      `${query.name} takes no --instance: it lists every instance of the lake, each row naming its own; leave --instance out (it takes: ${query.params.join(', ')})`,
    );
  }
  const unused = [
    ...(values.to !== undefined && !query.params.some((p) => p.startsWith('to_')) ? ['--to'] : []),
    ...(values['time-zone'] !== undefined && !query.params.includes('time_zone') ? ['--time-zone'] : []),
  ];
  if (unused.length > 0) {
    throw new UsageError(
      `${query.name} takes no ${unused.join(' or ')}: ${unused.length === 1 ? 'it would change nothing; leave it out' : 'they would change nothing; leave them out'} (it takes: ${query.params.join(', ')})`,
    );
  }
}

/**
 * The parameters an option sets, by that option: set by --param too, the last one given silently
 * won over the option, and a --param instance skipped the check that the lake holds it.
 */
const OWN_OPTION: Readonly<Record<string, string>> = {
  instance: '--instance',
  limit: '--limit',
  time_zone: '--time-zone',
  from_ts: '--from',
  to_ts: '--to',
  // The days read follow the period's bounds: one set apart from them only reads days in vain.
  from_dt: '--from',
  to_dt: '--to',
};

/**
 * A value of a period bound's parameter as --from or --to takes it: a timestamp at midnight as its
 * date, any other in ISO form with its Z; a date as the day it starts, but `to_dt` is the last day
 * read, and --to the end, exclusive: the day after. A timestamp as --from takes it (`2026-11-20`,
 * `…T10:00:00+01:00`) stays as it is; `<time>` for any other value.
 */
function boundOption(name: string, value: string): string {
  if (checkParamValue(name, value) !== undefined) {
    return name.endsWith('_ts') && parseUtcInstant(value) !== undefined ? shellWord(value) : '<time>';
  }
  if (name === 'to_dt') return utcDate(Date.parse(`${value}T00:00:00Z`) + DAY_MS);
  if (name === 'from_dt') return value;
  const [date = '', time = ''] = value.split(' ');
  return /^00:00:00(\.0*)?$/.test(time) ? date : `${date}T${time}Z`;
}

/** Refuses a parameter its own option sets, naming that option with the value to give it. */
function assertNoOwnOption(entry: string, name: string, value: string): void {
  const flag = OWN_OPTION[name];
  if (flag === undefined) return;
  const given = flag === '--from' || flag === '--to' ? boundOption(name, value) : shellWord(value);
  throw new UsageError(
    `--param ${JSON.stringify(entry)}: ${name} is set by ${flag}: write ${flag} ${given} instead (--param sets the parameters no option sets)`,
  );
}

function overrides(query: QueryDefinition, entries: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq).trim();
    if (eq === -1 || name === '') throw new UsageError(`--param "${entry}" must be name=value`);
    if (!query.params.includes(name)) {
      throw new UsageError(
        `query ${query.name} has no parameter "${name}"; it takes: ${query.params.join(', ')}`,
      );
    }
    const value = entry.slice(eq + 1);
    assertNoOwnOption(entry, name, value);
    // Checked here, before any lake or engine is opened, as every other option value is.
    const problem = checkParamValue(name, value);
    if (problem) throw new UsageError(`--param ${JSON.stringify(entry)}: ${problem}`);
    // As an option given twice: the last would silently win over the one the user meant.
    const earlier = result[name];
    if (earlier !== undefined && earlier !== value) {
      throw new UsageError(
        `--param sets ${name} twice, as ${shellWord(earlier)} and as ${shellWord(value)}: it takes one value; keep the one you mean`,
      );
    }
    // An IPv6 address in the spelling whose every spelling the query finds (address-param.ts).
    result[name] = normalisedParamValue(name, value);
  }
  return result;
}

interface PeriodValues {
  from?: string;
  to?: string;
  'time-zone'?: string;
}

/** The period and zone every query takes, checked before any lake or engine is opened. */
function periodOptions(values: PeriodValues, now: number, openEnd = false) {
  const { fromMs, toMs } = period(values, now, openEnd);
  const timeZone = parseTimeZone('--time-zone', values['time-zone'] ?? QUERY_DEFAULTS.timeZone);
  return { fromMs, toMs, timeZone };
}

/** Runs one query of the catalog and prints its rows; returns what it ran and got. */
export async function queryCommand(
  argv: readonly string[],
  io: CommandIo,
  deps: QueryCommandDeps = {},
): Promise<QueryCommandResult | undefined> {
  const { values, positionals } = parseOptions(argv, spec, true);
  if (values.list) return listCatalog(values, positionals, io);
  if (values.sql !== undefined || values['sql-file'] !== undefined) {
    return adHocQuery(values, positionals, io, deps);
  }
  const now = (deps.now ?? Date.now)();
  if (values.all) {
    if (positionals.length > 0) throw new UsageError('--all runs every query: name none');
    const format = optionValue('--format', values.format, parseFormat);
    if (format === 'csv') throw new UsageError('--all prints a line per query (table) or --format json');
    refuseProvenance(values);
    const options = periodOptions(values, now);
    const every = {
      what: 'the catalog queries',
      // The table lists each query as it ends; JSON prints them all at the end.
      undone: format === 'table' ? 'those not listed above did not run' : NOTHING_PRINTED,
    };
    return onEngine(values, io, deps, every, ({ engine, where, instance }, run) =>
      // user_activity is of one user, address_activity of one address, neither with a default: an
      // id no Domo user has (no id is negative) and the unspecified address prove they run.
      smokeTest(engine, { ...standardParams({ instance, ...options }), ...SMOKE_PARAMS }, where, io, {
        format,
        run,
      }),
    );
  }
  // A second word is most likely the value of an option npm kept (`npm run cli query q --format csv`).
  if (positionals.length > 1) {
    throw new UsageError(`one query at a time (got ${positionals.join(', ')})`, true);
  }
  const query = queryFrom(positionals[0]);
  const format = optionValue('--format', values.format, parseFormat);
  const options = periodOptions(values, now, READS_TO_LAST_HOUR.includes(query.name));
  if (values.limit !== undefined && !query.params.includes('limit')) {
    throw new UsageError(
      `--limit: ${query.name} is not a ranked query and takes no row limit; leave --limit out (the ranked queries: ${rankedQueries().join(', ')})`,
    );
  }
  unusedOptions(query, values);
  const limit = parseWholeNumber('--limit', values.limit, QUERY_DEFAULTS.limit, {
    min: 1,
    max: MAX_RANKED_ROWS,
  });
  const extra = overrides(query, values.param ?? []);
  const { out, provenance, width } = rowsDestination(values, io);
  return onEngine(
    values,
    io,
    deps,
    { what: `the query ${query.name}`, undone: NOTHING_PRINTED },
    async ({ engine, where, instance, severalInstances, region }, run) => {
      const reach = await periodReach(engine, query, { instance, options, values, now }, run);
      // Checked before the query runs: a bad --param value is a usage error naming the flag.
      const named = optionValue('--param', (values.param ?? []).join(' '), () => {
        // address_activity of a network owner alone: no address to match.
        const pivot: Record<string, string> =
          (extra.asn ?? '') !== '' && extra.address === undefined ? { address: '' } : {};
        const all = { ...standardParams({ instance, ...reach.period, limit }), ...pivot, ...extra };
        const aligned = alignPartitionDates(all, new Set(Object.keys(extra)));
        // Only --param gives what the period and options do not (user_activity's user_id): say so,
        // rather than quote an empty --param the user never typed.
        const missing = query.params.find((param) => aligned[param] === undefined);
        if (missing === 'address' && query.params.includes('asn')) {
          throw new UsageError(
            `query ${query.name} needs --param address=<ip> or --param asn=<number> (it takes: ${query.params.join(', ')})`,
          );
        }
        if (missing !== undefined) {
          throw new UsageError(
            `query ${query.name} needs --param ${missing}=<value> (it takes: ${query.params.join(', ')})`,
          );
        }
        positionalValues(query, aligned);
        return aligned;
      });
      const used = Object.fromEntries(query.params.map((p) => [p, named[p] as string]));
      // One row more than asked, to tell whether the cut at the limit falls between ties.
      const fetched = RANKED_QUERIES.includes(query.name) ? { ...named, limit: String(limit + 1) } : named;
      const { ran, coverage, history } = await showingWhile(
        io.stderr,
        `query ${query.name}: running on ${where}`,
        async () => {
          const ran = await engine.run(query.name, fetched, run);
          return {
            ran,
            coverage: await periodCoverage(engine, query, named, run),
            history: await historyJudged(
              engine,
              query,
              named,
              run,
              historyWorthAsking(ran, values.athena === true),
            ),
          };
        },
      );
      const { result, note: tieNote } = cutTies(query, ran, limit);
      // A change against a period not wholly in the lake is left out of the table, as the report does.
      const hidden = new Set(changeComparable(coverage) ? [] : changeColumns(query));
      const shown = { ...result, columns: result.columns.filter((c) => !hidden.has(c.name)) };
      const output = render(
        format,
        query,
        used,
        // Only of a lake of several: a lake of one keeps the columns its scripts were written for.
        format === 'table' ? shown : withInstanceColumn(result, severalInstances ? used.instance : undefined),
        where,
        width,
        now,
      );
      const rowsFile = emitRows(io, out, output);
      // On stderr: JSON and CSV stay bare rows, and a table piped on keeps only its own lines.
      const notes = [
        ...coverageNotes(query, coverage, format),
        ...historyNotes(history),
        ...[
          reach.note,
          tieNote,
          cutRowsNote(query, result, used),
          noUserEventsNote(query, used, result),
        ].filter((note) => note !== undefined),
      ];
      for (const note of notes) io.stderr.write(`${wrapLine(note, terminalWidth(io.stderr)).join('\n')}\n`);
      writeProvenance(provenance, {
        nowMs: now,
        query: { name: query.name, sqlSha256: sha256Text(query.sql) },
        params: used,
        engine: provenanceEngine(values, { region }),
        instance: used.instance,
        rows: { count: result.rows.length, cut: rowsCutOf(query, result, ran.rows.length) },
        // The table printed its partial days under it; JSON and CSV only here.
        notes: [...notes, ...dayNotes(query, used, result, now)],
        output: { format, text: output, file: rowsFile },
      });
      return { query: query.name, params: used, result };
    },
    { everyInstance: !query.params.includes('instance') },
  );
}

/**
 * The period a catalog query runs over, and a note on the hours the lake covers after the default
 * one (today's, up to its last ingest: review F-QUERYCLI 2). Without --to, a query of
 * {@link READS_TO_LAST_HOUR} reads to the end of those hours; the others keep whole days and say
 * how to read them, on DuckDB (free) only. Asked of the manifests only when --to is not given.
 */
async function periodReach(
  engine: CommandEngine,
  query: QueryDefinition,
  given: {
    instance: string | undefined;
    options: PeriodOptions;
    values: { to?: string; athena?: boolean };
    now: number;
  },
  run: QueryRunOptions,
): Promise<{ period: PeriodOptions; note?: string }> {
  const { instance, options, values, now } = given;
  if (values.to !== undefined || !query.params.includes('to_ts')) return { period: options };
  const reads = READS_TO_LAST_HOUR.includes(query.name);
  // On Athena each query is billed and queued (review R-QUERIES M4): asked only where it moves the period.
  const asked = instance !== undefined && (reads || values.athena !== true);
  if (!reads) {
    const after = asked
      ? await coveredAfter(engine, instance, { fromMs: options.toMs, nowMs: now }, run)
      : undefined;
    return { period: options, note: after && uncoveredAfterNote(after) };
  }
  // The lake's hours from today's start, or from the hour of a --from of today.
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const start = Math.max(today, floorHour(options.fromMs));
  const after = asked ? await coveredAfter(engine, instance, { fromMs: start, nowMs: now }, run) : undefined;
  if (after !== undefined) {
    return { period: { ...options, toMs: after.endMs }, note: readToLastHourNote(after, start) };
  }
  // None: whole days as before, or for a --from of today up to now (the coverage note says so).
  return { period: options.fromMs < today ? { ...options, toMs: today } : options };
}

type PeriodOptions = ReturnType<typeof periodOptions>;

/**
 * Opens the engine, runs `work` on it, and closes it; a signal stops the query, in Athena with
 * --athena ({@link withEngineInterrupts}). `duckDb`: what a signal stops there, for its lines.
 */
function onEngine<T>(
  values: EngineValues,
  io: CommandIo,
  deps: QueryCommandDeps,
  duckDb: DuckDbWork,
  work: (target: EngineTarget, run: QueryRunOptions) => Promise<T>,
  options: Pick<EngineTargetOptions, 'everyInstance'> = {},
): Promise<T> {
  return withEngineInterrupts(
    {
      athena: values.athena === true,
      stderr: io.stderr,
      duckDb,
      ...(io.interrupts ? { source: io.interrupts } : {}),
    },
    (athenaWatch) =>
      openEngineTarget(values, deps.athenaClient, {
        use: 'query',
        ...options,
        ...(athenaWatch ? { athenaWatch } : {}),
      }),
    (target, signal) => work(target, { signal }),
  );
}

/** What a signal leaves undone of a query on DuckDB that printed nothing yet. */
const NOTHING_PRINTED = 'nothing was printed';

/** What `--all` gives the queries of one user or address, which no option sets (see queryCommand). */
const SMOKE_PARAMS = { user_id: '-1', address: '0.0.0.0' } as const;

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

/** All of a stream, as UTF-8 text. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The SQL of `--sql-file`: the file's text, or stdin's for `-`. A file is what keeps a literal the
 * user searches for (an old client secret, docs/ingest.md) out of shell history and of the
 * process's arguments, which every user of the machine can read (`ps`) while the query runs.
 */
async function sqlFromFile(file: string, io: CommandIo): Promise<string> {
  if (file === '-') {
    const stdin = io.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY) {
      io.stderr.write('query: reading the SQL from stdin: end it with Ctrl-D\n');
    }
    return readAll(stdin);
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new UsageError(`--sql-file ${shellWord(file)}: cannot read the file (${code}) at ${resolve(file)}`);
  }
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
async function adHocQuery(
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
      const output =
        format === 'table'
          ? tableOutput(`SQL on ${where}`, result, [], width, explainPlanText(sql, result))
          : machineOutput(format, result, json);
      const rowsFile = emitRows(io, out, output);
      const timesLine =
        warning === undefined
          ? ''
          : `warning: DuckDB and Athena differ: ${warning} (docs/queries.md, Times are UTC)\n`;
      if (timesLine !== '') io.stderr.write(fitProse(timesLine, io.stderr));
      writeProvenance(provenance, {
        nowMs: (deps.now ?? Date.now)(),
        query: sqlProvenance(sql, file),
        engine: provenanceEngine(values, { region }),
        rows: { count: result.rows.length },
        notes: [portability, timesLine],
        output: { format, text: output, file: rowsFile },
      });
      return { query: 'sql', params: { sql }, result };
    },
    { everyInstance: true },
  );
}

/**
 * An engine's message about SQL it refused, on the one line a failed command prints. DuckDB's
 * spreads over several: what is wrong, candidates, then the SQL with a caret under the spot, which
 * one line cannot show. Its guess at a table name offers its own system tables (`pg_enum`), so the
 * lake's tables are named instead.
 */
export function sqlFailure(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('LINE ') && !line.startsWith('^'))
    .filter((line) => !/^Did you mean "(pg_|duckdb_|information_schema)/.test(line));
  const text = lines.join(' ');
  return /table/i.test(text)
    ? `${text} (the lake's tables: ${LAKE_TABLES}; on Athena also alerts once they are on)`
    : text;
}

/** The catalog's queries that take a row limit. */
const rankedQueries = (): string[] => QUERY_NAMES.filter((name) => loadQuery(name).params.includes('limit'));

function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value))
    throw new Error(`must be one of ${FORMATS.join(', ')}`);
  return value as Format;
}

/** One query's outcome in `query --all --format json`. */
interface SmokeOutcome {
  query: string;
  ok: boolean;
  rows?: number;
  elapsedMs?: number;
  bytesScanned?: number;
  error?: string;
}

/** `, 40 KB scanned` when the engine says what it scanned (Athena), else nothing. */
const scannedText = (result: QueryResult): string =>
  result.bytesScanned === undefined ? '' : `, ${formatBytes(result.bytesScanned)} scanned`;

/** A query the smoke test ran: its outcome and its line. */
function ranQuery(name: string, result: QueryResult): { outcome: SmokeOutcome; text: string } {
  return {
    outcome: {
      query: name,
      ok: true,
      rows: result.rows.length,
      elapsedMs: result.elapsedMs,
      ...(result.bytesScanned === undefined ? {} : { bytesScanned: result.bytesScanned }),
    },
    text: `  ok    ${name}: ${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${result.elapsedMs} ms${scannedText(result)}`,
  };
}

/**
 * Runs every catalog query once; prints a line per query as it goes (or, with `json`, an array of
 * outcomes at the end) and fails (listing them) if any did.
 */
async function smokeTest(
  engine: CommandEngine,
  named: Record<string, string>,
  where: string,
  io: CommandIo,
  { format, run }: { format: 'table' | 'json'; run: QueryRunOptions },
): Promise<undefined> {
  const failed: string[] = [];
  const outcomes: SmokeOutcome[] = [];
  const line = (text: string) => {
    if (format === 'table') io.stdout.write(`${text}\n`);
  };
  line(`every catalog query, ${named.from_ts} to ${named.to_ts} UTC, on ${where}`);
  for (const name of QUERY_NAMES) {
    try {
      // A table is printed line by line between the queries: stdout must be a terminal too.
      const result = await showingWhile(
        io.stderr,
        `query --all: running ${name} on ${where}`,
        () => engine.run(name, named, run),
        format === 'table' ? io.stdout : undefined,
      );
      const { outcome, text } = ranQuery(name, result);
      outcomes.push(outcome);
      line(text);
    } catch (error) {
      // Without credentials every query fails alike: one line with the fix (main's), not one per
      // query. A signal stops the smoke test, not just the query in hand.
      if (missingAwsCredentials(error) || run.signal?.aborted) throw error;
      failed.push(name);
      const message = failureMessage(error);
      outcomes.push({ query: name, ok: false, error: message });
      line(`  FAIL  ${name}: ${message}`);
    }
  }
  if (format === 'json') io.stdout.write(jsonOutput(outcomes));
  if (failed.length > 0)
    throw new Error(`${failed.length} of ${QUERY_NAMES.length} queries failed: ${failed.join(', ')}`);
  return undefined;
}

function render(
  format: Format,
  query: QueryDefinition,
  params: Record<string, string>,
  result: QueryResult,
  where: string,
  maxWidth: number,
  nowMs: number,
): string {
  // JSON and CSV stay bare rows for machines: the partial-day note is for the table only. A list
  // column is split before any cleaning of the text drops the character that parts its items.
  if (format === 'json') return jsonOutput(listsAsArrays(query.name, withUtcInstants(result).rows));
  if (format === 'csv') return toCsv(listsShown(query.name, result));
  const notes = dayNotes(query, params, result, nowMs);
  const period = params.from_ts && params.to_ts ? ` ${params.from_ts} to ${params.to_ts} UTC` : '';
  return tableOutput(
    `${query.name} (${params.instance ?? 'all instances'})${period} on ${where}`,
    listsShown(query.name, result),
    notes,
    maxWidth,
  );
}

/**
 * The notes on partial local days of a query that counts by day or counts days (active_days):
 * under the table, and in the provenance of every format (JSON and CSV print none, to stay bare rows).
 */
function dayNotes(
  query: QueryDefinition,
  params: Record<string, string>,
  result: Pick<QueryResult, 'rows'>,
  nowMs: number,
): string[] {
  // The period and zone the query ran with (--param may have set them), as the header shows them.
  const { from_ts, to_ts, time_zone: zone } = params;
  if (zone === undefined || from_ts === undefined || to_ts === undefined) return [];
  const period = { fromMs: parseLakeTimestamp(from_ts), toMs: parseLakeTimestamp(to_ts), nowMs };
  // Only days the rows hold: a partial day without events has no row whose counts could mislead.
  if (query.columns.includes('day')) {
    return partialDayNotes(period, zone, new Set(result.rows.map((row) => String(row.day))));
  }
  if (query.columns.includes('active_days') && result.rows.length > 0) return activeDayNotes(period, zone);
  return [];
}

/**
 * most_active_users' active_days counts local dates in the zone: one event in the few hours of a
 * date the period touches counts that whole day, as daily_activity's rows of a partial day count
 * only its hours (review R-ANALYST3 L4: a one-day UTC period in Tokyo gave most users 2).
 */
function activeDayNotes(period: { fromMs: number; toMs: number; nowMs: number }, zone: string): string[] {
  const partial = partialDays(period.fromMs, period.toMs, zone);
  if (partial.length === 0) return [];
  const days = partial.map((d) => `${d.day} (${d.hours} of its ${d.dayHours} hours)`).join(' and ');
  return [
    `note: active_days counts dates in ${zone}, and the period covers only part of ${days}: an event in those hours counts the whole day`,
    wholeDaysAdvice(period, zone),
  ];
}

/** How to ask for whole local days around the period, or that none has ended yet. */
function wholeDaysAdvice(period: { fromMs: number; toMs: number; nowMs: number }, zone: string): string {
  const { fromMs: wholeFrom, toMs: wholeTo } = wholeLocalDays(period.fromMs, period.toMs, zone, period.nowMs);
  // A period inside the one local day still in progress has no whole day to point to: the only
  // whole day ends in the future, and a query of it would show the same partial counts (R-FINAL2 L4).
  return wholeTo > period.nowMs
    ? `note: no whole day in ${zone} has ended in the period: this day ends at ${zonedIso(wholeTo, zone)}`
    : `note: for whole days in ${zone}, give --from ${zonedIso(wholeFrom, zone)} --to ${zonedIso(wholeTo, zone)}`;
}

/**
 * A note for each partial local day the table shows, and then how to ask for whole days: bare
 * dates are UTC midnights, so a zone other than UTC gets a partial day at each end (review R-OP2 L9).
 */
function partialDayNotes(
  period: { fromMs: number; toMs: number; nowMs: number },
  zone: string,
  shown: ReadonlySet<string>,
): string[] {
  const partial = partialDays(period.fromMs, period.toMs, zone).filter((d) => shown.has(d.day));
  if (partial.length === 0) return [];
  const advice = wholeDaysAdvice(period, zone);
  return [
    ...partial.map(
      (d) =>
        `note: ${d.day} is a partial day in ${zone}: the period covers ${d.hours} of its ${d.dayHours} hours`,
    ),
    advice,
  ];
}

/**
 * The local days of `zone` around `[fromMs, toMs)`: from the midnight at or before its start to the
 * one at or after its end, or, when that one is still to come (`nowMs`: the default period ends
 * now), to the one at or before its end (review R-MINE4 L6: the advice pointed into the future).
 */
export function wholeLocalDays(
  fromMs: number,
  toMs: number,
  zone: string,
  nowMs = Number.POSITIVE_INFINITY,
): { fromMs: number; toMs: number } {
  const start = zonedWallTimeToUtc(localMidnight(fromMs, zone), zone);
  const after = zonedWallTimeToUtc(localMidnight(toMs - 1, zone) + DAY_MS, zone);
  const before = zonedWallTimeToUtc(localMidnight(toMs, zone), zone);
  return { fromMs: start, toMs: after > nowMs && before > start ? before : after };
}

/** The wall time (as UTC ms) of the midnight that starts the local day of `utcMs` in `zone`. */
const localMidnight = (utcMs: number, zone: string): number =>
  Math.floor(wallTimeOf(utcMs, zone) / DAY_MS) * DAY_MS;

/** `utcMs` as `zone`'s wall time with its offset, to the minute: `2026-11-20T00:00+01:00`. */
function zonedIso(utcMs: number, zone: string): string {
  const wall = wallTimeOf(utcMs, zone);
  const offsetMinutes = Math.round((wall - utcMs) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(wall).toISOString().slice(0, 16)}${offset}`;
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

/**
 * A title, the aligned table, notes under it, and how many rows came in how long; the title and
 * notes wrapped between words on a terminal `maxWidth` wide, as the table is fitted to it. `text`,
 * when given, stands for the table: an EXPLAIN's plan, drawn as is.
 */
function tableOutput(
  title: string,
  result: QueryResult,
  notes: readonly string[],
  maxWidth: number,
  text?: string,
): string {
  return [
    ...wrapLine(title, maxWidth),
    '',
    text ?? toTable(result, maxWidth),
    ...notes.flatMap((note) => wrapLine(note, maxWidth)),
    '',
    `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${result.elapsedMs} ms${scannedText(result)}`,
    '',
  ].join('\n');
}

interface PartialDay {
  /** The local date, `YYYY-MM-DD`. */
  day: string;
  /** Hours of the day inside the period (a fraction for a period or zone off the whole hour). */
  hours: number;
  /** Hours the day has: 24, or 23 and 25 on a daylight saving change. */
  dayHours: number;
}

const hoursOf = (ms: number): number => Math.floor((ms / HOUR_MS) * 100) / 100;

/**
 * The local days in `zone` that `[fromMs, toMs)` covers only in part: at most the first and the
 * last (every day between is whole), first first. A period of whole local days has none.
 */
export function partialDays(fromMs: number, toMs: number, zone: string): PartialDay[] {
  const dayAt = (utcMs: number) => {
    const wallDay = localMidnight(utcMs, zone);
    return {
      day: utcDate(wallDay),
      startMs: zonedWallTimeToUtc(wallDay, zone),
      endMs: zonedWallTimeToUtc(wallDay + DAY_MS, zone),
    };
  };
  const ends = [dayAt(fromMs), dayAt(toMs - 1)];
  const days = ends[0]?.day === ends[1]?.day ? ends.slice(0, 1) : ends;
  return days.flatMap(({ day, startMs, endMs }) => {
    const covered = Math.min(toMs, endMs) - Math.max(fromMs, startMs);
    return covered < endMs - startMs
      ? [{ day, hours: hoursOf(covered), dayHours: hoursOf(endMs - startMs) }]
      : [];
  });
}

const cellText = (value: QueryValue): string => (value === null ? '' : String(value));

/**
 * A table cell's text. NULL is spelled out, as DuckDB and Athena's console show it: a blank cell
 * read as an empty name (Domo sends `""` for some), and a group of unplaced sign-ins in
 * `logins_by_country` looked like a row without a label. Domo strings reach a terminal here: no
 * escape sequences, no bidi overrides, and on one line.
 */
const tableCellText = (value: QueryValue): string =>
  value === null ? 'NULL' : visibleText(String(value)).replace(/\s+/g, ' ');

/** Decimals a column of doubles is shown with: enough to compare, few enough to read. */
const DECIMALS = 2;

/**
 * A column of doubles as a reader compares them (`-27.67`, not `-27.67402376910017`): every value
 * with the same two decimals, so the points line up, or none when all are whole; one that would
 * show as 0.00 keeps two significant digits instead. CSV and JSON keep every digit.
 */
function doubleCells(values: readonly QueryValue[]): string[] {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const decimals = numbers.every(Number.isInteger) ? 0 : DECIMALS;
  return values.map((value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return tableCellText(value);
    const fixed = value.toFixed(decimals);
    const tiny = value !== 0 && Number(fixed) === 0;
    return tiny ? String(Number(value.toPrecision(2))) : fixed;
  });
}

/**
 * Aligned columns, numbers right-aligned, doubles rounded ({@link doubleCells}), NULL written out,
 * laid out for a terminal `maxWidth` columns wide ({@link fitTable}): every cell whole, on a pipe
 * or in a file as on a terminal wide enough, wrapped or as a block per row on a narrower one.
 */
export function toTable(
  result: Pick<QueryResult, 'columns' | 'rows'>,
  maxWidth = Number.POSITIVE_INFINITY,
): string {
  const names = result.columns.map((c) => c.name);
  const byColumn = result.columns.map((c) => {
    const values = result.rows.map((row) => row[c.name] ?? null);
    return c.type === 'double' ? doubleCells(values) : values.map(tableCellText);
  });
  const rows = result.rows.map((_, r) => byColumn.map((cells) => cells[r] ?? ''));
  const align = result.columns.map((c) => (c.type === 'bigint' || c.type === 'double' ? 'r' : 'l')).join('');
  return fitTable({ header: names.map(tableCellText), rows, align, rule: true }, maxWidth).join('\n');
}

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * A text cell a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, or any of them after a
 * tab or line break) gets a leading `'`: the CSV is opened by admins, and the text came from Domo
 * users. A plain decimal number (`-100000`, an id as text) is no formula and holds nothing else:
 * left as it is, so it reads as the number it is (review F-QUERYCLI 4).
 */
const spreadsheetSafe = (text: string): string =>
  /^[=+\-@\t\n]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * RFC 4180 CSV of visible text (as the table): a header line, CRLF line ends, fields with a comma,
 * quote or line break quoted. A CR or CRLF within a text becomes LF: RFC 4180 allows either in
 * a quoted field, but a terminal's `cat` obeys the CR, so `x\r7,Maria Admin,0` drew a row that
 * is not there over the one that is. So the only CR printed ends a record.
 */
export function toCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const names = result.columns.map((c) => c.name);
  const text = result.columns.map((c) => c.type !== 'bigint' && c.type !== 'double');
  const lines = [
    names,
    ...result.rows.map((row) =>
      names.map((name, i) => {
        // Domo strings reach a terminal or a spreadsheet: no escape sequences, no bidi overrides.
        const cell = visibleText(cellText(row[name] ?? null)).replace(/\r\n?/g, '\n');
        return text[i] ? spreadsheetSafe(cell) : cell;
      }),
    ),
  ];
  return lines.map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('');
}
