/** The line a step shows on a terminal while it runs. */
export interface PhaseStatus {
  /** Shows `label` with the seconds the step has taken so far, redrawn each second. */
  start(label: string): void;
  /** Clears the line (if one is shown), so what the step printed next stands alone. */
  stop(): void;
  /** False when the line is off ({@link phaseStatus}): another line of the command's stays off too. */
  readonly shown: boolean;
}

/**
 * The status line each stream shows, if any, as the function that ends it: a line written there
 * out of turn ({@link lineBesideStatus}) must not land on its end, nor be drawn over a second later.
 */
const shownOn = new WeakMap<NodeJS.WritableStream, () => void>();

/**
 * Writes `text` (whole lines) to `stream` once the status line shown there, if any, is cleared and
 * its redraws stopped: for what a signal prints while a step runs (`SIGINT: stopping...`), which
 * otherwise read `...on DuckDB ./lake... 2 sSIGINT: stopping` and was redrawn over each second.
 * The step's line stays off until it ends; the next one starts it again.
 */
export function lineBesideStatus(stream: NodeJS.WritableStream, text: string): void {
  shownOn.get(stream)?.();
  stream.write(text);
}

/** A stdout is typed as any writable stream: a terminal's has `isTTY` set. */
const isTerminal = (stream: NodeJS.WritableStream): boolean =>
  (stream as Partial<NodeJS.WriteStream>).isTTY === true;

/** How a status line is drawn, besides the stream it goes to. */
interface PhaseStatusOptions {
  now?: () => number;
  redrawMs?: number;
  /**
   * Where the command prints between one step's line and the next (stdout): the line is off
   * unless that is a terminal too. Piped (`| tee`, `| cat`), what was printed reaches the screen
   * through the other program, after the next step's line was drawn on stderr, and lands on it:
   * `...running data_health on DuckDB ./lake...  ok    daily_activity: 7 rows`.
   */
  printsTo?: NodeJS.WritableStream;
}

/**
 * A one-line "working on it" display for a step that prints nothing until it ends (verifying a
 * lake, running queries): without it a terminal looks stuck for seconds. Written to stderr, cut to
 * the terminal's width (a wrapped line cannot be redrawn in place with \r), and off when stderr is
 * not a TTY, so pipes, logs and `--json` output stay clean, or when `printsTo` is not (see there).
 * The redraw timer is unref'd: it never keeps the process alive.
 */
export function phaseStatus(
  stream: NodeJS.WriteStream = process.stderr,
  { now = Date.now, redrawMs = 1000, printsTo }: PhaseStatusOptions = {},
): PhaseStatus {
  if (!stream.isTTY || (printsTo !== undefined && !isTerminal(printsTo)))
    return { start() {}, stop() {}, shown: false };
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    if (shownOn.get(stream) === stop) shownOn.delete(stream);
    stream.write('\r\x1b[K');
  };
  return {
    start(label) {
      stop();
      const started = now();
      const draw = () => {
        const seconds = Math.floor((now() - started) / 1000);
        const line = `${label}...${seconds > 0 ? ` ${seconds} s` : ''}`;
        const width = stream.columns ? stream.columns - 1 : line.length;
        stream.write(`\r${line.slice(0, width)}\x1b[K`);
      };
      draw();
      timer = setInterval(draw, redrawMs);
      timer.unref();
      shownOn.set(stream, stop);
    },
    stop,
    shown: true,
  };
}

/**
 * Runs `work` with `label` on the terminal's status line, cleared when it ends either way: for a
 * command that prints nothing until its queries are done (a week's report on a big lake takes
 * minutes), so the terminal does not look stuck. A command that runs several in a row and prints
 * between them passes its stdout as `printsTo` ({@link PhaseStatusOptions}).
 */
export async function showingWhile<T>(
  stream: NodeJS.WriteStream,
  label: string,
  work: () => Promise<T>,
  printsTo?: NodeJS.WritableStream,
): Promise<T> {
  const status = phaseStatus(stream, printsTo ? { printsTo } : {});
  status.start(label);
  try {
    return await work();
  } finally {
    status.stop();
  }
}
