import { fstatSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { isatty } from 'node:tty';

/** Writes all of `bytes` somewhere, or rejects with the error that stopped it. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/** The most one write hands the sink: a failure then cuts at most this much, and surfaces. */
export const OUTPUT_CHUNK_BYTES = 64 * 1024;

/** What {@link CommandOutput} reports of the terminal behind it (table and prose widths). */
interface TerminalShape {
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** The descriptor behind it, so a command can tell the file it writes to (query's --provenance). */
  readonly fd?: number;
}

/**
 * A command's stdout that remembers the first write that failed instead of losing it: Node reports a
 * failed write to stdout by an 'error' event (or not at all, for a short write to a full disk), and
 * a command that writes and forgets would exit 0 over a cut or empty file. After a failure, later
 * output is dropped (the reader is gone or the disk is full) while the command runs on, so its own
 * status still stands; the entry point turns the failure into its exit status ({@link outputStatus}).
 */
export class CommandOutput extends Writable {
  #failure: NodeJS.ErrnoException | undefined;

  constructor(
    private readonly sink: ByteSink,
    private readonly terminal: TerminalShape = {},
  ) {
    super({ decodeStrings: true });
  }

  get isTTY(): boolean | undefined {
    return this.terminal.isTTY;
  }

  get columns(): number | undefined {
    return this.terminal.columns;
  }

  get fd(): number | undefined {
    return this.terminal.fd;
  }

  /** The first error a write met, if any. */
  get failure(): NodeJS.ErrnoException | undefined {
    return this.#failure;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#send(chunk).then(() => done(), done);
  }

  async #send(bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length && this.#failure === undefined; at += OUTPUT_CHUNK_BYTES) {
      try {
        await this.sink(bytes.subarray(at, at + OUTPUT_CHUNK_BYTES));
      } catch (error) {
        this.#failure = error as NodeJS.ErrnoException;
      }
    }
  }

  /** Resolves once every write so far has reached the sink or failed. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.end(resolve));
  }
}

/** Writes to a file descriptor with `write(2)`, as many times as it takes to write every byte. */
export function fdSink(
  fd: number,
  write: (fd: number, bytes: Uint8Array, offset: number, length: number) => number = writeSync,
): ByteSink {
  return async (bytes) => {
    // A write to a nearly full disk writes what fits and returns the short count without an error
    // (Node's own stdout for a file ignores that count): the next write is the one that says ENOSPC.
    for (let at = 0; at < bytes.length; ) at += write(fd, bytes, at, bytes.length - at);
  };
}

/** Writes through a Node stream (a pipe or a terminal: libuv writes all of each buffer or fails). */
function streamSink(stream: NodeJS.WritableStream): ByteSink {
  return (bytes) =>
    new Promise((resolve, reject) => {
      stream.write(bytes, (error?: Error | null) => (error ? reject(error) : resolve()));
    });
}

/**
 * The process's stdout as a {@link CommandOutput}: a file or a device (Node writes those with one
 * unchecked `write(2)`) by its descriptor, a pipe or a terminal through `process.stdout`.
 */
export function processOutput(stdout: NodeJS.WriteStream & { fd: number } = process.stdout): CommandOutput {
  const stat = fstatSync(stdout.fd);
  const byDescriptor = stat.isFile() || (stat.isCharacterDevice() && !isatty(stdout.fd));
  return new CommandOutput(byDescriptor ? fdSink(stdout.fd) : streamSink(stdout), stdout);
}

/**
 * The exit status of a command whose output went to `output`: its own, unless the output could not
 * be written, which makes a success a failure (1), said on stderr; a failing or interrupted command
 * keeps its status. A reader that closed the pipe (EPIPE) is not a failure of the command: `| head`
 * stops reading on purpose.
 */
export async function outputStatus(
  output: CommandOutput,
  code: number,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  await output.flushed();
  const failure = output.failure;
  if (failure === undefined || failure.code === 'EPIPE') return code;
  stderr.write(`error: could not write the output: ${failure.message}\n`);
  return code === 0 ? 1 : code;
}
