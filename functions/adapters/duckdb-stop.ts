/** What stopping a statement needs of a DuckDB connection. */
interface Interruptible {
  interrupt(): void;
}

/** How often a stopped connection is interrupted again while the work on it goes on. */
const AGAIN_MS = 50;

/**
 * Runs `work`, statements on `connection`, so that `signal` stops it: once aborted, the statement
 * running is interrupted (DuckDB fails it at its next check, within milliseconds of a scan or a
 * join), and the call rejects with the signal's reason, as the Athena engine's does, even when the
 * statement had just ended. DuckDB forgets an interrupt that comes before a statement starts (each
 * statement clears it), and its worker thread may start the next one just after the abort: so the
 * connection is interrupted again until `work` ends, which stops any statement `work` starts later.
 */
export async function stoppable<T>(
  connection: Interruptible,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (signal === undefined) return work();
  signal.throwIfAborted();
  let again: NodeJS.Timeout | undefined;
  const interrupt = () => {
    connection.interrupt();
    again = setInterval(() => connection.interrupt(), AGAIN_MS);
  };
  signal.addEventListener('abort', interrupt, { once: true });
  try {
    const result = await work();
    signal.throwIfAborted();
    return result;
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    signal.removeEventListener('abort', interrupt);
    clearInterval(again);
  }
}
