import { formatCount } from '../core/report/number-format.ts';

/**
 * The most characters one JavaScript string holds in Node 20 and 22 (V8's String::kMaxLength on
 * 64-bit: 2^29 - 24). Past it V8 throws a RangeError, "Invalid string length", naming nothing.
 */
export const MAX_TEXT_CHARS = 536_870_888;

/**
 * `query`'s rows as one text (`make`), or, when they are more than one string holds, an error
 * that says so and how to write fewer. Why: `max_rows` takes up to 10,000,000 and the runbook's
 * timeline asks for 1,000,000, but the rows are written as one string: a user_activity row is
 * ~810 characters of indented JSON and ~320 of CSV, so JSON stops at ~660,000 rows and CSV at
 * ~1,700,000, with V8's bare "Invalid string length" (helper R2ADDR, docs/decisions.md).
 */
export function rowsText(format: string, rows: number, make: () => string): string {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof RangeError) || !/invalid string length/i.test(error.message)) throw error;
    const smaller = format === 'json' ? ', or --format csv (about 40 % of the JSON)' : '';
    throw new Error(
      `${formatCount(rows)} rows are more than --format ${format} can write: the rows are written as one text, and Node's stop at ${formatCount(MAX_TEXT_CHARS)} characters. Ask for fewer: a lower --param max_rows, or a shorter period (--from, --to) run once per part${smaller}`,
      { cause: error },
    );
  }
}
