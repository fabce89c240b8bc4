import { athenaInterrupts } from './athena-interrupts.ts';
import { CommandInterrupted } from './command-interrupted.ts';
import { type DuckDbWork, duckDbInterrupts } from './duckdb-interrupts.ts';
import type { AthenaWatch, EngineTarget } from './engine-target.ts';
import type { InterruptSource } from './interrupts.ts';

interface EngineInterruptOptions {
  /** Whether the command runs on Athena (`--athena`), else on DuckDB. */
  athena: boolean;
  stderr: NodeJS.WritableStream;
  source?: InterruptSource;
  /** What the first signal stops on Athena: a command that runs several at once says `queries`. */
  queries?: 'query' | 'queries';
  /** What the command runs on DuckDB, for the lines a signal prints there. */
  duckDb: DuckDbWork;
}

/**
 * Resolves once the event loop has polled for I/O: a signal that came while JavaScript ran without
 * a pause (the rows of a big answer converted, formatted and written take seconds) waits in libuv
 * until then, and one still waiting when the command stops listening is dropped, neither heard nor
 * fatal. An immediate queued from another immediate runs in the next turn, after its poll phase;
 * a single one (or a timer of 0) may run before any poll.
 */
const signalsHeard = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Opens the engine target (`open`, given what the Athena engine must report), runs `work` on it
 * and closes it, so that Ctrl-C, SIGTERM or SIGHUP stops the queries rather than ending the process
 * under them: an Athena query would run on, and bill; a DuckDB one would leave its temp directory.
 * `work` gets the signal the first one aborts, and the command then throws
 * {@link CommandInterrupted} after a line saying what became of the queries, also when the signal
 * came once the engine had answered (the output is whole, the status still says so).
 */
export async function withEngineInterrupts<T>(
  options: EngineInterruptOptions,
  open: (athenaWatch: AthenaWatch | undefined) => Promise<EngineTarget>,
  work: (target: EngineTarget, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const athena = options.athena
    ? athenaInterrupts(options.stderr, options.source, options.queries)
    : undefined;
  const interrupts = athena ?? duckDbInterrupts(options.stderr, options.duckDb, options.source);
  try {
    const target = await open(athena);
    let result: T;
    try {
      result = await work(target, interrupts.signal);
    } finally {
      await target.engine.close?.();
    }
    await signalsHeard();
    const late = interrupts.interrupted();
    if (late) throw late;
    return result;
  } catch (error) {
    if (error instanceof CommandInterrupted) throw error;
    // A failure after a stretch without a pause may have a signal waiting behind it as well.
    await signalsHeard();
    throw interrupts.interrupted(error) ?? error;
  } finally {
    interrupts.dispose();
  }
}
