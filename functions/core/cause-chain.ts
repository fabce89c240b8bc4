/** How deep a look into errors that wrap others goes (a command that rewords a failure keeps the original as its `cause`). */
const MAX_CAUSES = 8;

/**
 * `error` and what it wraps as its `cause`, outermost first, at most {@link MAX_CAUSES} deep; the
 * last may be no error at all (an abort's reason such as `'SIGINT'`).
 */
export function* causeChain(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSES && current !== undefined && current !== null; depth++) {
    yield current;
    if (typeof current !== 'object') return;
    current = (current as { cause?: unknown }).cause;
  }
}
