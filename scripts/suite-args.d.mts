/** The arguments `npm test` gives vitest: coverage only when `extra` runs the whole suite. */
export function suiteArgs(extra: readonly string[]): string[];
