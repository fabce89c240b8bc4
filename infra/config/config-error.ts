/** The `cdk.json` context key that holds the deploy configuration. */
export const CONTEXT_KEY = 'activityLake';

/**
 * Raised for any invalid deploy configuration; the message lists every problem with its key and fix.
 * `heading` says what was refused when it is not a key of the context (the written template's size,
 * say), which a heading naming the context would send the reader looking for in cdk.json.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    heading = `Invalid cdk.json context "${CONTEXT_KEY}"`,
  ) {
    super(`${heading} (fix these, then run cdk synth again):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
