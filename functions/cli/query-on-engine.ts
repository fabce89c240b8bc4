import { RowCeilingError } from '../adapters/row-ceiling.ts';
import { causeChain } from '../core/cause-chain.ts';
import type { QueryRunOptions } from '../core/report/report-query-engine.ts';
import type { CommandIo } from './command-io.ts';
import type { DuckDbWork } from './duckdb-interrupts.ts';
import { withEngineInterrupts } from './engine-interrupts.ts';
import {
  type EngineTarget,
  type EngineTargetOptions,
  type EngineValues,
  openEngineTarget,
} from './engine-target.ts';
import type { Format } from './query-format.ts';
import { queryRowCeiling, rowCeilingMessage } from './query-row-ceiling.ts';
import type { QueryCommandDeps } from './query-run-types.ts';

/**
 * Opens the engine, runs `work` on it, and closes it; a signal stops the query, in Athena with
 * --athena ({@link withEngineInterrupts}). `duckDb`: what a signal stops there, for its lines.
 * The engine reads no more rows of one query than the heap holds in `options.format` (a table's
 * row takes more; {@link queryRowCeiling}): past them it stops, and the command says so and how to
 * ask for fewer.
 */
export function onEngine<T>(
  values: EngineValues,
  io: CommandIo,
  deps: QueryCommandDeps,
  duckDb: DuckDbWork,
  work: (target: EngineTarget, run: QueryRunOptions) => Promise<T>,
  options: Pick<EngineTargetOptions, 'everyInstance'> & { format?: Format } = {},
): Promise<T> {
  const { format, ...targetOptions } = options;
  const maxRows = queryRowCeiling(format);
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
        ...targetOptions,
        maxRows,
        ...(athenaWatch ? { athenaWatch } : {}),
      }),
    (target, signal) =>
      work(target, { signal }).catch((error: unknown) => {
        // Also under the message a failed --sql gets (query-ad-hoc-sql.ts).
        const ceiling = [...causeChain(error)].find((e) => e instanceof RowCeilingError);
        if (ceiling === undefined) throw error;
        throw new Error(rowCeilingMessage(ceiling.label, ceiling.maxRows, format), { cause: ceiling });
      }),
  );
}

/** What a signal leaves undone of a query on DuckDB that printed nothing yet. */
export const NOTHING_PRINTED = 'nothing was printed';
