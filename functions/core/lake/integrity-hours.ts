import { utcDate, windowStartFromKey } from './layout.ts';
import type { HourRange } from './verify-range.ts';

/**
 * The objects an integrity check looks for, when it is asked for some hours only: evidence handed
 * over as a copy of those hours' days and the whole digest chain. The chain is still walked and
 * judged whole, and so is every object the store holds, whatever its day (a copy can be given
 * objects in other day folders, and a query not filtering on `dt` reads them). Only the absence
 * of an object the chain lists is excused, and only outside the days the hours touch:
 * - looked for by day folder, not by hour: a query of a day reads every object in its folder, so
 *   an object of that day gone before `fromMs`'s hour would make the day's rows short unseen;
 * - a key with no day folder is placed by its hour, and one with neither is looked for: what the
 *   check cannot place outside is checked.
 */
export class IntegrityHours {
  private readonly firstDay: string;
  private readonly lastDay: string;

  constructor(readonly range: HourRange) {
    this.firstDay = utcDate(range.fromMs);
    this.lastDay = range.toMs > range.fromMs ? utcDate(range.toMs - 1) : '';
  }

  /** Whether an object the chain lists at `key` must be there: its day is one the hours touch. */
  looksFor(key: string): boolean {
    const hour = windowStartFromKey(key);
    const day = dayOf(key) ?? (hour === undefined ? undefined : utcDate(hour));
    return day === undefined || (day >= this.firstDay && day <= this.lastDay);
  }
}

/** The `dt=` day folder of a table object's key (undefined: none). */
const dayOf = (key: string): string | undefined => /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];

/** Which objects the chain lists an integrity check looks for (see {@link IntegrityHours}). */
export interface ObjectsCompared {
  looksFor(key: string): boolean;
}

/** Every object of the instance's tables: the check asked for no hours. */
const EVERY_OBJECT: ObjectsCompared = { looksFor: () => true };

export const objectsCompared = (hours: HourRange | undefined): ObjectsCompared =>
  hours === undefined ? EVERY_OBJECT : new IntegrityHours(hours);
