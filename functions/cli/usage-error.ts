/** A mistake in how the command was called: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  /**
   * @param strayWord true for a word where an option belongs: under `npm run` it is most likely the
   * value of an option npm kept for itself, which the refusal then says.
   */
  constructor(
    message: string,
    readonly strayWord = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
