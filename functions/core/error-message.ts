/**
 * The message of anything thrown, for logs and for wording an error into another one. Not every
 * throw is an Error (a rejected promise can carry any value), and `(error as Error).message` is
 * `undefined` for those; this gives their text instead.
 */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
