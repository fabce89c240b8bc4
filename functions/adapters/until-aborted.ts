/**
 * `request`, or a rejection with the abort's reason as soon as `signal` aborts. The SDK's
 * `abortSignal` cancels the HTTP request; this does not wait on the SDK (its retry delays, a stub)
 * to notice.
 */
export function untilAborted<T>(request: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    // Promise.resolve: a stand-in client may answer with a plain value.
    Promise.resolve(request)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A request that a signal can end: sent with the SDK's `abortSignal` and raced against the abort
 * ({@link untilAborted}); sent plainly without a signal.
 */
export function sendUntilAborted<T>(
  send: (options?: { abortSignal: AbortSignal }) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  return signal ? untilAborted(send({ abortSignal: signal }), signal) : send();
}
