import { utcDate, windowStartFromKey } from './layout.ts';
import type { HourRange } from './verify-range.ts';

/**
 * The hours an integrity check compares the store with, when it is asked for some only: evidence
 * handed over as a copy of those hours and the whole digest chain. The chain is still walked and
 * judged whole; of the objects, only these are looked at.
 *
 * Two tests, one stricter than the other, so that nothing in the hours asked for goes unseen:
 * - an object the store holds is judged when its day folder is one the hours touch (a copy holds
 *   whole day folders, and a query of a day reads every object in it, the hours before `fromMs`
 *   on that day too);
 * - an object the chain lists must be there when its hour is one of them (an object of the same
 *   day but another hour, absent, is outside what was asked for, not gone).
 * A key whose hour cannot be told is placed by its day folder, and one with no day folder either is
 * in: a key the check cannot place outside is checked.
 */
export class IntegrityHours {
  private readonly firstDay: string;
  private readonly lastDay: string;

  constructor(readonly range: HourRange) {
    this.firstDay = utcDate(range.fromMs);
    this.lastDay = range.toMs > range.fromMs ? utcDate(range.toMs - 1) : '';
  }

  /** Whether an object the store holds at `key` is judged: its day folder is one the hours touch. */
  judges(key: string): boolean {
    const day = dayOf(key);
    return day === undefined || (day >= this.firstDay && day <= this.lastDay);
  }

  /** Whether an object the chain lists at `key` must be there: its hour is one of the range's. */
  looksFor(key: string): boolean {
    const hour = windowStartFromKey(key);
    if (hour === undefined) return this.judges(key);
    return hour >= this.range.fromMs && hour < this.range.toMs;
  }
}

/** The `dt=` day folder of a table object's key (undefined: none). */
const dayOf = (key: string): string | undefined => /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];

/** Which objects an integrity check compares with the store (see {@link IntegrityHours}). */
export interface ObjectsCompared {
  judges(key: string): boolean;
  looksFor(key: string): boolean;
}

/** Every object of the instance's tables: the check asked for no hours. */
const EVERY_OBJECT: ObjectsCompared = { judges: () => true, looksFor: () => true };

export const objectsCompared = (hours: HourRange | undefined): ObjectsCompared =>
  hours === undefined ? EVERY_OBJECT : new IntegrityHours(hours);
