import type { AthenaStop } from '../adapters/athena-engine.ts';
import { errorMessage } from '../core/error-message.ts';
import { CommandInterrupted, causedBy, type EngineInterrupts, quitsAtOnce } from './command-interrupted.ts';
import { failureMessage } from './failure-message.ts';
import { type InterruptName, type InterruptSource, interruptible, processInterrupts } from './interrupts.ts';
import { lineBesideStatus } from './phase-status.ts';

/** Ctrl-C and SIGTERM while a command waits on Athena: see {@link athenaInterrupts}. */
interface AthenaInterrupts extends EngineInterrupts {
  /** For the engine (`onStop`): says on stderr when a stop failed, and keeps what was stopped. */
  onStop(stop: AthenaStop): void;
  /** For the engine (`onRunning`): whether a query may be running, for a second signal's line. */
  onRunning(running: boolean): void;
}

/**
 * The line of a StopQueryExecution that failed: the query may run on, and bill, up to the
 * workgroup's limits, so the user is told how to stop it.
 */
const stopFailedLine = ({ queryExecutionId: id, error }: AthenaStop): string =>
  `warning: could not stop Athena query execution ${id} (${errorMessage(error)}): it may run on, and bill, up to the workgroup's limits; stop it in the Athena console or with aws athena stop-query-execution --query-execution-id ${id}`;

/**
 * Lets a command that runs queries on Athena wind down on SIGINT or SIGTERM instead of dying with
 * its query still running (and billing) in Athena: the first signal aborts the run, the engine
 * stops the query it started, and the command ends by that signal after a line saying what was
 * stopped. A second one quits at once, as ingest's and enrich's do.
 */
export function athenaInterrupts(
  stderr: NodeJS.WritableStream,
  source: InterruptSource = processInterrupts,
  /** What the first signal stops: a command that runs several queries at once says `queries`. */
  queries: 'query' | 'queries' = 'query',
): AthenaInterrupts {
  const stopped: string[] = [];
  const notStopped: string[] = [];
  // Queries between their start and their final state, and whether a stop failed: only then may
  // quitting leave a query running (once Athena has answered, only its results are being read).
  let running = 0;
  let stopFailed = false;
  const interruption = interruptible(
    source,
    (name) => lineBesideStatus(stderr, `${name}: stopping the Athena ${queries} (${quitsAtOnce(name)})\n`),
    () =>
      lineBesideStatus(
        stderr,
        running > 0 || stopFailed
          ? 'quitting now: an Athena query may still be running; stop it in the Athena console (Recent queries)\n'
          : 'quitting now: no Athena query is running\n',
      ),
  );
  return {
    signal: interruption.signal,
    onRunning(isRunning) {
      running += isRunning ? 1 : -1;
    },
    onStop(stop) {
      if (stop.error !== undefined) {
        stopFailed = true;
        lineBesideStatus(stderr, `${stopFailedLine(stop)}\n`);
      }
      if (!interruption.signal.aborted) return;
      (stop.error === undefined ? stopped : notStopped).push(stop.queryExecutionId);
    },
    interrupted(failure) {
      const name = interruption.received;
      if (name === null) return undefined;
      // A failure of its own (a query Athena failed, the others then being stopped when the signal
      // came) would be hidden behind the interrupt line and its status: so it is said first.
      if (failure !== undefined && !causedBy(failure, interruption.signal.reason))
        stderr.write(`error: ${failureMessage(failure)}\n`);
      stderr.write(`${interruptedLine(name, stopped, notStopped, failure === undefined)}\n`);
      return new CommandInterrupted(name);
    },
    dispose: () => interruption.dispose(),
  };
}

/** What a signal left of the Athena queries: the last line of an interrupted command. */
function interruptedLine(
  name: InterruptName,
  stopped: readonly string[],
  notStopped: readonly string[],
  finished: boolean,
): string {
  if (notStopped.length > 0)
    return `interrupted (${name}): ${executions(notStopped)} ${notStopped.length > 1 ? 'were' : 'was'} not stopped (see the warning above)`;
  if (stopped.length > 0) return `interrupted (${name}): ${executions(stopped)} stopped`;
  return finished
    ? `interrupted (${name}) once Athena had answered: the output is complete`
    : `interrupted (${name}): no Athena query was running`;
}

/** `Athena query execution q-1`, or `Athena query executions q-1, q-2`. */
const executions = (ids: readonly string[]): string =>
  `Athena query execution${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`;
