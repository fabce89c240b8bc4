/**
 * The first number at or after `from` that `exists` says is missing, by an exponential then a
 * binary search: O(log n) calls for a numbering present from `from` up to some point and missing
 * after it. The answer is always a missing number, and, when it is past `from`, the number before
 * it is present; with gaps (a number missing in the middle) it need not be the last gap, so a
 * caller that must know the end confirms there is nothing after it.
 */
export async function firstMissingFrom(
  exists: (n: number) => Promise<boolean>,
  from: number,
): Promise<number> {
  if (!(await exists(from))) return from;
  let present = from;
  let step = 1;
  while (await exists(from + step)) {
    present = from + step;
    step *= 2;
  }
  let missing = from + step;
  while (missing - present > 1) {
    const middle = Math.floor((present + missing) / 2);
    if (await exists(middle)) present = middle;
    else missing = middle;
  }
  return missing;
}
