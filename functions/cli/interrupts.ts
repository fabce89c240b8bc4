/**
 * The signals a command winds down on: Ctrl-C, a polite kill, and a closed terminal (SIGHUP: an
 * ssh session dropped, a terminal window or a tmux session closed), which is as much a request to
 * stop as SIGTERM and, unheard, ended an ingest before it recorded its run.
 */
export type InterruptName = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Exit status of a command ended by a signal: 128 + its number, as a shell reports it. */
export const INTERRUPT_EXIT_CODE: Readonly<Record<InterruptName, number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

const INTERRUPTS = Object.keys(INTERRUPT_EXIT_CODE) as InterruptName[];

/** Where a command hears SIGINT, SIGTERM and SIGHUP: the process, or a test's stand-in. */
export interface InterruptSource {
  /** Calls `on` for each signal until the returned function is called; meanwhile they end nothing. */
  listen(on: (name: InterruptName) => void): () => void;
  /** Ends the process at once, as the signal `name` would have ({@link endBySignal}). */
  quit(name: InterruptName): void;
}

/** What {@link endBySignal} needs of the process: Node's `process`, or a test's stand-in. */
export interface SignalledProcess {
  readonly platform: string;
  readonly pid: number;
  removeAllListeners(event: InterruptName): unknown;
  kill(pid: number, signal: InterruptName): unknown;
  exit(code: number): void;
}

/**
 * Ends the process by the signal `name` once the command has wound down: its handlers removed, the
 * process sends the signal to itself and dies of it, so its parent sees death by that signal
 * (WIFSIGNALED), as if it had never caught it. An exit of its own, even with the status 130, tells
 * a shell that the command handled the signal and that it may go on: `for ...; do domo-activity-lake
 * ingest ...; done` would start the next ingest after a Ctrl-C instead of stopping.
 *
 * A signal a process sends itself is delivered before `kill` returns, so the exit after it runs only
 * where the signal did not end the process: there it exits with the signal's conventional status.
 * Windows has no such signals (`kill` would end the process with another status): it exits at once.
 */
export function endBySignal(name: InterruptName, proc: SignalledProcess = process): void {
  if (proc.platform !== 'win32') {
    proc.removeAllListeners(name);
    try {
      proc.kill(proc.pid, name);
    } catch {
      // A platform that cannot send it: the status below says the same to a shell.
    }
  }
  proc.exit(INTERRUPT_EXIT_CODE[name]);
}

/** The signal whose conventional status `code` is (130 SIGINT, 143 SIGTERM, 129 SIGHUP), if any. */
const interruptOfStatus = (code: number): InterruptName | undefined =>
  INTERRUPTS.find((name) => INTERRUPT_EXIT_CODE[name] === code);

/**
 * Ends the process with a command's exit status: 130, 143 and 129, which a command returns when a
 * signal interrupted it, by that signal ({@link endBySignal}); any other by `exit`.
 */
export function exitWithStatus(code: number, proc: SignalledProcess = process): void {
  const name = interruptOfStatus(code);
  if (name === undefined) proc.exit(code);
  else endBySignal(name, proc);
}

export const processInterrupts: InterruptSource = {
  listen(on) {
    const handlers = INTERRUPTS.map((name) => [name, () => on(name)] as const);
    for (const [name, handler] of handlers) process.on(name, handler);
    return () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    };
  },
  quit: (name) => endBySignal(name),
};

interface Interruption {
  /** Aborted on the first signal. */
  readonly signal: AbortSignal;
  /** The first signal heard, if any. */
  readonly received: InterruptName | null;
  /** Stops listening: the signals end the process again. */
  dispose(): void;
}

/**
 * Lets a command wind down on SIGINT, SIGTERM or SIGHUP instead of dying: the first aborts `signal` (after
 * `onFirst`, so the user learns it is stopping), the command finishes its bookkeeping and says what
 * it kept; a second SIGINT or SIGTERM while it does ends the process at once (after `onSecond`),
 * by that signal. A second SIGHUP does not: closing a terminal hangs its job up twice (the kernel
 * signals the foreground job, and the shell passes its own hang-up on to its jobs), so quitting on
 * it ended every ingest of a closed terminal before it recorded its run.
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
    if (name === 'SIGHUP') return;
    onSecond(name);
    source.quit(name);
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose,
  };
}
