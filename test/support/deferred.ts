/** A promise and the function that resolves it, for a test to hold a step until it says so. */
export function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
