import type { QueryResult } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { MAX_RANKED_ROWS, QUERY_DEFAULTS, standardParams } from '../core/queries/query-params.ts';
import { loadQuery, QUERY_NAMES } from '../queries/catalog.ts';
import type { CommandIo } from './command-io.ts';
import { cutRowsNote } from './cut-rows-note.ts';
import { historyJudged, historyNotes, historyWorthAsking, ownHistoryNote } from './history-notes.ts';
import { withInstanceColumn } from './instance-column.ts';
import { jsonOutput } from './json-output.ts';
import { listsAsArrays, listsShown } from './list-cells.ts';
import { noUserEventsNote } from './no-user-events-note.ts';
import { optionValue, parseWholeNumber } from './options.ts';
import { showingWhile } from './phase-status.ts';
import { toCsv } from './query-csv.ts';
import { dayNotes } from './query-day-notes.ts';
import { type Format, parseFormat } from './query-format.ts';
import { queryFrom } from './query-name.ts';
import {
  changeColumns,
  changeComparable,
  coverageNotes,
  cutTies,
  periodCoverage,
  RANKED_QUERIES,
  READS_TO_LAST_HOUR,
} from './query-notes.ts';
import { NOTHING_PRINTED, onEngine } from './query-on-engine.ts';
import type { QueryValues } from './query-options.ts';
import { namedParams, overrides, unusedOptions } from './query-param-options.ts';
import { periodOptions, periodReach } from './query-period.ts';
import { provenanceEngine, rowsCutOf, sha256Text, writeProvenance } from './query-provenance.ts';
import { emitRows, rowsDestination } from './query-rows-destination.ts';
import type { QueryCommandDeps, QueryCommandResult } from './query-run-types.ts';
import { tableOutput } from './query-table.ts';
import { rowsText } from './rows-text.ts';
import { terminalWidth, wrapLine } from './terminal-table.ts';
import { UsageError } from './usage-error.ts';
import { withUtcInstants } from './utc-instants.ts';

/** Runs one query of the catalog and prints its rows; returns what it ran and got. */
export async function catalogQuery(
  values: QueryValues,
  positionals: readonly string[],
  io: CommandIo,
  deps: QueryCommandDeps,
  now: number,
): Promise<QueryCommandResult> {
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
      const named = optionValue('--param', (values.param ?? []).join(' '), () =>
        namedParams(query, standardParams({ instance, ...reach.period, limit }), extra),
      );
      const used = Object.fromEntries(query.params.map((p) => [p, named[p] as string]));
      // One row more than asked, to tell whether the cut at the limit falls between ties.
      const fetched = RANKED_QUERIES.includes(query.name) ? { ...named, limit: String(limit + 1) } : named;
      const { ran, coverage, history, ownHistory } = await showingWhile(
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
            ownHistory: await ownHistoryNote(engine, query, named, ran, run),
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
          ownHistory,
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
        engine: await provenanceEngine(values, { region }),
        instance: used.instance,
        rows: { count: result.rows.length, cut: rowsCutOf(query, result, ran.rows.length) },
        // The table printed its partial days under it; JSON and CSV only here.
        notes: [...notes, ...dayNotes(query, used, result, now)],
        output: { format, text: output, file: rowsFile },
      });
      return { query: query.name, params: used, result };
    },
    { everyInstance: !query.params.includes('instance'), format },
  );
}

/** The catalog's queries that take a row limit. */
const rankedQueries = (): string[] => QUERY_NAMES.filter((name) => loadQuery(name).params.includes('limit'));

/** The rows as `format` writes them; a table with its title and notes on partial local days. */
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
  const rows = result.rows.length;
  if (format === 'json')
    return rowsText(format, rows, () => jsonOutput(listsAsArrays(query.name, withUtcInstants(result).rows)));
  if (format === 'csv') return rowsText(format, rows, () => toCsv(listsShown(query.name, result)));
  const notes = dayNotes(query, params, result, nowMs);
  const period = params.from_ts && params.to_ts ? ` ${params.from_ts} to ${params.to_ts} UTC` : '';
  return rowsText(format, rows, () =>
    tableOutput(
      `${query.name} (${params.instance ?? 'all instances'})${period} on ${where}`,
      listsShown(query.name, result),
      notes,
      maxWidth,
    ),
  );
}
