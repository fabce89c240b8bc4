import type { AuditQuery } from '../domo/audit-source.ts';
import { NEXT_RUN_RETRIES } from './next-run-retries.ts';
import type { ServedEntry } from './served-entry.ts';

/**
 * Pages past which a read asks whether rows lie beyond its last one, however it ended. A server
 * with a ceiling on its result window that does not say so (no 400) serves the pages past it short
 * or empty, which reads like the end of the range; nothing but one more request can tell. At
 * Domo's page of 1,000, re-reading 2 rows a page, a read of 12 pages or more has asked for rows
 * past position ~11,000. Not fewer: the suite's two-workday workload (`paging-requests.test.ts`)
 * reads a span of 10,688 events in 11 pages, and no workload may gain a request. Shallower reads
 * ask only when their end looks like a ceiling ({@link mayBeCut}).
 */
export const DEEP_READ_PAGES = 11;

/**
 * Full pages (as large as the largest the read was served) after which a read ending like a
 * ceiling asks too: past ~5,000 rows at Domo's page, below the smallest round ceiling worth
 * guessing, and few enough that a read of 11 pages has them.
 */
const DEEP_FULL_PAGES = 5;

/**
 * Ceilings are round numbers: Elasticsearch's default `index.max_result_window` is 10,000 (it says
 * so with 400, but a proxy or another store may not). A read that ends exactly on a multiple of
 * this, on a short page, may have met one.
 */
const ROUND_CEILING = 1_000;

/**
 * Whether a read of `pages` pages, each holding `served` entries (in order), the last asked from
 * `lastOffset`, may have been cut by a silent ceiling, so that it asks past its last row: it is
 * deeper than {@link DEEP_READ_PAGES}; or it had {@link DEEP_FULL_PAGES} full pages and ended on an
 * empty page or on a short page whose end, `lastOffset` plus its entries, is a multiple of
 * {@link ROUND_CEILING} (a natural end lands there once in 1,000 reads: a request more for those).
 * Only a request with no re-read can end a read empty (the end confirmed after pages too small to
 * re-read in); an empty page asked for re-read rows is a ceiling itself (`pages-stopped-error.ts`),
 * never an end. A
 * ceiling at another offset, in a read of 11 pages or fewer, is not seen.
 */
export function mayBeCut(pages: number, served: readonly number[], lastOffset: number): boolean {
  if (pages > DEEP_READ_PAGES) return true;
  const largest = served.reduce((a, b) => Math.max(a, b), 0);
  // The pages the read went on past: pages cut by bytes vary in count, so none need equal the largest.
  const full = served.slice(0, -1).filter((n) => n > 0).length;
  const last = served[served.length - 1] ?? 0;
  if (largest === 0 || full < DEEP_FULL_PAGES || last === largest) return false;
  return last === 0 || (lastOffset + last) % ROUND_CEILING === 0;
}

/** What to ask for past a read's last row, and whether a row's time lies past it. */
interface PastLastRow {
  query: AuditQuery;
  beyond(timeMs: number): boolean;
}

/**
 * The request (one row) for anything past the last row of a read of `[start, end]`, in the order
 * the rows were served: strictly older when they came newest first, strictly newer when oldest
 * first, within the range. The bound is the last row's time less (or plus) 1 ms, so rows of that
 * time (ties, all read, or some not: a cut inside a tie is not seen) never answer it; under a
 * reading of the bound that excludes it, rows of exactly that millisecond are missed too.
 * Undefined when there is nothing to ask: the last row's time cannot be read, the rows do not say
 * which way they run (one time only), or the range ends at the last row.
 */
export function pastLastRow(
  entries: readonly ServedEntry[],
  start: number,
  end: number,
  timeOf: (entry: unknown) => number | undefined,
): PastLastRow | undefined {
  const last = entries.length > 0 ? timeOf((entries[entries.length - 1] as ServedEntry).value) : undefined;
  if (last === undefined) return undefined;
  let first = last;
  for (const entry of entries) {
    const t = timeOf(entry.value);
    if (t !== undefined) {
      first = t;
      break;
    }
  }
  const query = { limit: 1, offset: 0 };
  if (first > last && last - 1 >= start) {
    return { query: { ...query, start, end: last - 1 }, beyond: (t) => t < last };
  }
  if (first < last && last + 1 <= end) {
    return { query: { ...query, start: last + 1, end }, beyond: (t) => t > last };
  }
  return undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A read that went deep ended, yet Domo holds rows past its last one: the server served the deep
 * offsets short or empty. A range that can be split is read again in halves (as after a 400 to a
 * deep offset); one that cannot (one second) fails with this.
 */
export class DeepOffsetCutError extends Error {
  constructor(entries: number, pages: number, range: string, pastMs: number, whole: string) {
    super(
      `Domo served ${entries} entries of ${range} in ${pages} pages and then no more, yet holds ` +
        `entries past the last of them (one at ${iso(pastMs)}): it serves deep offsets short or ` +
        'empty without saying so, and this range (one second) cannot be read in smaller pieces. ' +
        `Nothing of ${whole} is written; ${NEXT_RUN_RETRIES}.`,
    );
    this.name = 'DeepOffsetCutError';
  }
}
