import { causeChain } from '../core/cause-chain.ts';
import type { InterruptName } from './interrupts.ts';

/**
 * A command that a signal stopped, once it has said on stderr what became of its work: its exit
 * status is that signal's (`INTERRUPT_EXIT_CODE`), as an interrupted ingest's or enrich's.
 */
export class CommandInterrupted extends Error {
  constructor(readonly signal: InterruptName) {
    super(`interrupted (${signal})`);
    this.name = 'CommandInterrupted';
  }
}

/**
 * Ctrl-C, SIGTERM and SIGHUP while a command's queries run, on either engine: the first aborts
 * `signal`, which each query is run with; the command ends with what `interrupted` returns.
 */
export interface EngineInterrupts {
  /** Aborted by the first interrupt: for each query run (`{ signal }`). */
  readonly signal: AbortSignal;
  /**
   * Once the command's work has ended (`failure`: what it threw, if it did): when a signal came,
   * the last line, on stderr, saying what became of the queries, and the error to throw;
   * otherwise undefined.
   */
  interrupted(failure?: unknown): CommandInterrupted | undefined;
  /** Stops listening: the signals end the process again. */
  dispose(): void;
}

/**
 * What ends the process at once after the first signal `name`, as its line says it: the same signal
 * again, but after a SIGHUP a SIGTERM, since a second hang-up is ignored (`interruptible`).
 */
export const quitsAtOnce = (name: InterruptName): string =>
  name === 'SIGINT'
    ? 'Ctrl-C again quits at once'
    : name === 'SIGHUP'
      ? 'SIGTERM quits at once'
      : `${name} again quits at once`;

/** Whether `failure` is the abort's `reason`, as it is or wrapped as another error's `cause`. */
export const causedBy = (failure: unknown, reason: unknown): boolean =>
  [...causeChain(failure)].includes(reason);
