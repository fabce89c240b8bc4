/** The middle value of `values` (the upper one of an even count), NaN for none; `values` is not reordered. */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
