import { didYouMean } from '../core/did-you-mean.ts';
import { assertInstanceName, isInstanceName } from '../core/lake/layout.ts';

/** `acme_eu` and `acme-eu` as one: instance names take both, and people mix them up. */
const folded = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

/**
 * The instance of `held` a name not among them most likely meant (the same but for `-`/`_`, else
 * a near spelling), or undefined when none is near or two are as near: a suggestion copied from the
 * message runs the command on that instance, so a far one would read the wrong instance's data
 * (review R-MULTI L1: the first name in order was offered, `main` → `acme`).
 */
export function nearestInstance(asked: string, held: readonly string[]): string | undefined {
  const same = held.filter((name) => folded(name) === folded(asked));
  if (same.length === 1) return same[0];
  return same.length > 1 ? undefined : didYouMean(asked, held);
}

/**
 * The end of a refusal of `asked`: the instance it most likely meant, or, none being near, to check
 * the name and the place read (`target`: the option naming the lake or the stack's tables).
 */
export function instanceSuggestion(asked: string, held: readonly string[], target: string): string {
  const near = nearestInstance(asked, held);
  return near === undefined
    ? `none is near "${asked}": check the name, and ${target}`
    : `did you mean --instance ${near}?`;
}

/**
 * `--instance`'s value as an instance name, or why not; one that is a name once lower-cased
 * (`Acme`, as a customer writes its company) is offered so: names are lower-case, and the check of
 * the lake or the stack's tables then says whether it holds that one.
 */
export function instanceOption(value: string): string {
  try {
    return assertInstanceName(value);
  } catch (error) {
    const lower = value.trim().toLowerCase();
    if (!isInstanceName(lower)) throw error;
    throw new Error(`${(error as Error).message} (did you mean --instance ${lower}?)`);
  }
}
