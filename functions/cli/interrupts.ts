export type InterruptName = 'SIGINT' | 'SIGTERM';

/** Exit status of a command ended by a signal: 128 + its number, as a shell reports it. */
export const INTERRUPT_EXIT_CODE: Readonly<Record<InterruptName, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Where a command hears SIGINT and SIGTERM: the process, or a test's stand-in. */
export interface InterruptSource {
  /** Calls `on` for each signal until the returned function is called; meanwhile they end nothing. */
  listen(on: (name: InterruptName) => void): () => void;
  /** Ends the process at once with `code`. */
  quit(code: number): void;
}

export const processInterrupts: InterruptSource = {
  listen(on) {
    const onInt = () => on('SIGINT');
    const onTerm = () => on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  },
  quit: (code) => process.exit(code),
};

export interface Interruption {
  /** Aborted on the first signal. */
  readonly signal: AbortSignal;
  /** The first signal heard, if any. */
  readonly received: InterruptName | null;
  /** Stops listening: the signals end the process again. */
  dispose(): void;
}

/**
 * Lets a command wind down on SIGINT or SIGTERM instead of dying: the first aborts `signal` (after
 * `onFirst`, so the user learns it is stopping), the command finishes its bookkeeping and says what
 * it kept; a second one while it does ends the process at once (after `onSecond`), with the
 * conventional status of that signal.
 */
export function interruptible(
  source: InterruptSource,
  onFirst: (name: InterruptName) => void,
  onSecond: (name: InterruptName) => void,
): Interruption {
  const controller = new AbortController();
  let received: InterruptName | null = null;
  const dispose = source.listen((name) => {
    if (received === null) {
      received = name;
      onFirst(name);
      controller.abort(name);
      return;
    }
    onSecond(name);
    source.quit(INTERRUPT_EXIT_CODE[name]);
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose,
  };
}
