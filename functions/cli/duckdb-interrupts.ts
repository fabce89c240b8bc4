import { removeDuckDbTempDirectoriesNow } from '../adapters/duckdb-temp-directory.ts';
import { CommandInterrupted, causedBy, type EngineInterrupts, quitsAtOnce } from './command-interrupted.ts';
import { failureMessage } from './failure-message.ts';
import { type InterruptSource, interruptible, processInterrupts } from './interrupts.ts';
import { lineBesideStatus } from './phase-status.ts';

/** What a command runs on DuckDB, for the lines of {@link duckDbInterrupts}. */
export interface DuckDbWork {
  /** What a signal stops: `the query most_active_users`, `your SQL`, `the report's queries`. */
  what: string;
  /** What the stop leaves undone: `nothing was printed`, `no report was written`. */
  undone: string;
}

/**
 * Lets a command that runs queries on DuckDB wind down on SIGINT, SIGTERM or SIGHUP instead of
 * dying at once with its private temp directory left behind (spills and all, until the next
 * engine's sweep): the first signal aborts the run, the engine interrupts the statement running,
 * the command closes the engine, which removes that directory, and ends by the signal after a line
 * saying what was stopped. A second one quits at once, as ingest's and enrich's do, removing the
 * temp directory first.
 */
export function duckDbInterrupts(
  stderr: NodeJS.WritableStream,
  work: DuckDbWork,
  source: InterruptSource = processInterrupts,
): EngineInterrupts {
  const interruption = interruptible(
    source,
    // Unless: the signal may come once DuckDB has answered, while the output is written, and this
    // line cannot tell (the command's work spans both); the closing line says which it was (review
    // R-ROUND3 LOW-2: `stopping your SQL in DuckDB` there was untrue).
    (name) =>
      lineBesideStatus(
        stderr,
        `${name}: stopping ${work.what} unless DuckDB has answered (${quitsAtOnce(name)})\n`,
      ),
    () => {
      removeDuckDbTempDirectoriesNow();
      lineBesideStatus(stderr, 'quitting now\n');
    },
  );
  return {
    signal: interruption.signal,
    interrupted(failure) {
      const name = interruption.received;
      if (name === null) return undefined;
      // A failure of its own (a query DuckDB refused) would be hidden behind the interrupt line.
      if (failure !== undefined && !causedBy(failure, interruption.signal.reason))
        stderr.write(`error: ${failureMessage(failure)}\n`);
      stderr.write(
        failure === undefined
          ? `interrupted (${name}) once DuckDB had answered: the output is complete\n`
          : `interrupted (${name}): DuckDB stopped ${work.what}; ${work.undone}\n`,
      );
      return new CommandInterrupted(name);
    },
    dispose: () => interruption.dispose(),
  };
}
