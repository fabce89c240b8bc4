import { HeldBytesCeilingError, RowCeilingError } from '../adapters/row-ceiling.ts';
import { causeChain } from '../core/cause-chain.ts';
import type { QueryRunOptions } from '../core/ports.ts';
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
import { heldBytesMessage, queryRowLimits, rowCeilingMessage } from './query-row-ceiling.ts';
import type { QueryCommandDeps } from './query-run-types.ts';

/**
 * Opens the engine, runs `work` on it, and closes it; a signal stops the query, in Athena with
 * --athena ({@link withEngineInterrupts}). `duckDb`: what a signal stops there, for its lines.
 * The engine reads no more rows of one query than the heap holds in `options.format` (a table's
 * row takes more), nor rows holding more bytes than it holds ({@link queryRowLimits}): past them it
 * stops, and the command says so and how to ask for fewer or narrower rows.
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
  const limits = queryRowLimits(format);
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
        ...limits,
        ...(athenaWatch ? { athenaWatch } : {}),
      }),
    (target, signal) =>
      work(target, { signal }).catch((error: unknown) => {
        throw ceilingError(error, format);
      }),
  );
}

/**
 * `error` as the command words it when an engine's ceiling stopped the rows (found under the
 * message a failed --sql gets too, query-ad-hoc-sql.ts), else `error` itself.
 */
function ceilingError(error: unknown, format: Format | undefined): unknown {
  for (const cause of causeChain(error)) {
    if (cause instanceof RowCeilingError) {
      return new Error(rowCeilingMessage(cause.label, cause.maxRows, format), { cause });
    }
    if (cause instanceof HeldBytesCeilingError) {
      return new Error(heldBytesMessage(cause.label, cause.maxBytes, cause.rowsRead), { cause });
    }
  }
  return error;
}

/** What a signal leaves undone of a query on DuckDB that printed nothing yet. */
export const NOTHING_PRINTED = 'nothing was printed';
