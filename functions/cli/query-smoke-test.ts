import type { QueryResult, QueryRunOptions } from '../core/ports.ts';
import { standardParams } from '../core/queries/query-params.ts';
import { QUERY_NAMES } from '../queries/catalog.ts';
import type { CommandIo } from './command-io.ts';
import type { CommandEngine } from './engine-target.ts';
import { failureMessage, missingAwsCredentials } from './failure-message.ts';
import { jsonOutput } from './json-output.ts';
import { optionValue } from './options.ts';
import { showingWhile } from './phase-status.ts';
import { parseFormat } from './query-format.ts';
import { NOTHING_PRINTED, onEngine } from './query-on-engine.ts';
import type { QueryValues } from './query-options.ts';
import { periodOptions } from './query-period.ts';
import type { QueryCommandDeps } from './query-run-types.ts';
import { scannedText } from './query-table.ts';
import { UsageError } from './usage-error.ts';

/**
 * `query --all`: every catalog query once over the period, on the engine given, as a smoke test
 * (e.g. right after the first deploy).
 */
export function smokeTestCommand(
  values: QueryValues,
  positionals: readonly string[],
  io: CommandIo,
  deps: QueryCommandDeps,
  now: number,
): Promise<undefined> {
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

/** What `--all` gives the queries of one user or address, which no option sets (see smokeTestCommand). */
const SMOKE_PARAMS = { user_id: '-1', address: '0.0.0.0' } as const;

/** One query's outcome in `query --all --format json`. */
interface SmokeOutcome {
  query: string;
  ok: boolean;
  rows?: number;
  elapsedMs?: number;
  bytesScanned?: number;
  error?: string;
}

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
