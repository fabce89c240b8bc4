/**
 * Whole-number settings whose refusal names the range enforced, and why a lower bound exists.
 */
import * as z from 'zod';

export const wholeNumber = (min: number, max: number, example: number) => {
  const error = `must be a whole number from ${min} to ${max}, for example ${example}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/**
 * A function timeout in minutes that is at least `minimum`: below it the function would run and
 * succeed without doing its work, so the error says why (`why`) and what to set.
 */
export const functionTimeoutMinutes = (minimum: number, why: string, example: number) => {
  // The range said is the one enforced: "from 1 to 15" sent a user who chose 1 to a second refusal.
  const error = `must be a whole number from ${minimum} to 15, for example ${example}`;
  return z
    .number({ error })
    .int({ error })
    .max(15, { error })
    .min(minimum, { error: `must be at least ${minimum}: ${why}. Set it to ${minimum} or more` });
};
