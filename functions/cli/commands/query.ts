import { QUERY_DEFAULTS } from '../../core/queries/query-params.ts';
import type { CommandIo } from '../command-io.ts';
import { ENGINE_HELP } from '../engine-target.ts';
import { type OptionSpec, parseOptions } from '../options.ts';
import { adHocQuery } from '../query-ad-hoc-sql.ts';
import { catalogQuery } from '../query-catalog-run.ts';
import { listCatalog } from '../query-list.ts';
import { QUERY_SPEC } from '../query-options.ts';
import type { QueryCommandDeps, QueryCommandResult } from '../query-run-types.ts';
import { smokeTestCommand } from '../query-smoke-test.ts';
import { LAKE_TABLES } from '../query-sql-failure.ts';

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
                           for user_activity, address_activity and
                           user_addresses the end of the lake's last hour;
                           --from default: 7 days before today 00:00)
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
failed_logins_and_lockouts, login_after_failures, user_unusual_activity,
activity_after_deactivation, user_activity, address_activity and admin_changes
take --param max_rows; the last three keep the first rows in time, or the last
with --param keep_rows=newest); and the users suspicious_logins could not judge
for too little history.

address_activity pivots on --param address=<ip> (IPv6 in any spelling; in
brackets or with a port too, as a log writes it: [1.2.3.4]:443), on
--param asn=<number> (the network owner the geo data placed the events in), or
on both. data_movement, bulk_data_movement and admin_changes take
--param doer_id=<user id>: what that user did alone (as another user too), not
everyone's rows; suspicious_logins takes it for that user's sign-ins, each
judged as in everyone's rows. user_activity, user_addresses and
user_unusual_activity (what the user did that their own 30 days before do not
hold) take --param user_id=<user id>; user_activity with --param named=<name or
e-mail> adds the events that name the user only in text (a group they were
added to, a typed username), as named rows.

Ctrl-C (or SIGTERM, or SIGHUP: the terminal closed) stops the query, says
what it stopped and exits 130 (143, 129); with --athena it stops the query in
Athena too (left alone it would run on, and bill).

Piping: npm prints banner lines on stdout; use \`npm run -s cli -- query ...\`
(outside the checkout: node <checkout>/bin/domo-activity-lake.js query ...) so
that --format csv or json output is clean.
`;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const queryOptions: OptionSpec = QUERY_SPEC;

/**
 * Runs what the options ask: the catalog listed, the user's SQL, every catalog query (--all), or
 * one by name; returns what it ran and got.
 */
export async function queryCommand(
  argv: readonly string[],
  io: CommandIo,
  deps: QueryCommandDeps = {},
): Promise<QueryCommandResult | undefined> {
  const { values, positionals } = parseOptions(argv, QUERY_SPEC, true);
  if (values.list) return listCatalog(values, positionals, io);
  if (values.sql !== undefined || values['sql-file'] !== undefined) {
    return adHocQuery(values, positionals, io, deps);
  }
  const now = (deps.now ?? Date.now)();
  if (values.all) return smokeTestCommand(values, positionals, io, deps, now);
  return catalogQuery(values, positionals, io, deps, now);
}
