import { type AuditPage, type AuditQuery, type AuditSource, MAX_PAGE_SIZE } from '../domo/audit-source.ts';
import { entryWeightOfText } from '../domo/entry-weight.ts';
import { DomoAnswerShapeError, DomoConfigError } from '../domo/errors.ts';
import type { Clock } from '../ports.ts';
import { DAY_MS, MINUTE_MS, SECOND_MS } from '../time-units.ts';
import { DeepOffsetCutError, mayBeCut, pastLastRow } from './deep-offset-probe.ts';
import { entryContentKey } from './entry-content-key.ts';
import { LongTieError } from './long-tie-error.ts';
import { NEXT_RUN_RETRIES } from './next-run-retries.ts';
import {
  fullPage,
  type LargestPage,
  learnCap,
  mayBeCapped,
  notePage,
  nothingServedYet,
  type PageBytes,
  pageBytes,
  type ReadSoFar,
  shortInBytes,
  shortInCount,
} from './page-end.ts';
import {
  amongRows,
  entryAt,
  type NewRows,
  newRowsOf,
  type Reread,
  rereadFor,
  sameRows,
  shiftedDownBy,
  tieCutByPage,
  tieToPageEnd,
} from './page-reread.ts';
import { PagesStoppedError } from './pages-stopped-error.ts';
import type { ServedEntry } from './served-entry.ts';

interface FetchedRange {
  entries: ServedEntry[];
  pages: number;
  requests: number;
}

/** The `start` and `end` a request asked Domo for (epoch ms). */
export interface AskedBounds {
  startMs: number;
  endMs: number;
}

/**
 * The bounds {@link fetchRange} asks Domo for the range `[ownedStartMs, ownedEndMs)`: one ms early,
 * to its end. Whoever judges what a request may have returned (normalisation, the checks of an
 * hour read alone) takes the bounds from here, so they are the ones the request was made with.
 */
export const askedBounds = (ownedStartMs: number, ownedEndMs: number): AskedBounds => ({
  startMs: ownedStartMs - 1,
  endMs: ownedEndMs,
});

export interface FetchRangeOptions {
  /** Pages read from one range before it is split in two (offsets stay bounded on busy hours). */
  maxPagesPerRange: number;
  /**
   * What a range past `maxPagesPerRange` pages does: split in two at a whole second (default), or
   * throw {@link RangeFullError} so the caller can read it in smaller pieces of its own choosing.
   */
  whenFull?: 'split' | 'throw';
  /**
   * Entries the range is expected to hold (the busiest hour the run has seen): a range that would
   * need more than `maxPagesPerRange` pages for them is split at once, each half expecting its
   * share, rather than after reading that many pages only to throw them away. A range that proves
   * fuller than expected still splits when it is full.
   */
  expectedEntries?: number;
  /**
   * What the run has been served, shared by its ranges: ends a range on a page short in entries and
   * in bytes (see {@link LargestPage}); without it, on a page holding nothing new only.
   */
  largestPage?: LargestPage;
  /**
   * The time an entry says it happened (epoch ms), or undefined when it cannot be read: decides
   * which half of a split range an entry belongs to, and which rows a page re-reads share a time
   * (served in any order: see `page-reread.ts`).
   */
  timeOf(entry: unknown): number | undefined;
  /** Times a range is re-read from the start after its pages shifted under us. */
  maxRestarts?: number;
  /** Pages read from a range that cannot be split (one second) before the API is judged endless. */
  maxPagesUnsplittable?: number;
  /** Pages read for the whole range, splits and restarts included, before it is given up. */
  maxPagesTotal?: number;
  /**
   * Most entries' JSON the call may hold at once, in bytes as served, an entry weighing more when
   * its nesting, or text past Latin-1, takes more parsed (`entry-weight.ts`): what one hour, or one span, of entries may
   * take of the run's memory before it is given up.
   */
  maxHeldChars?: number;
  /**
   * Asked once the entries held pass `maxHeldChars`: a larger ceiling the call may go on to, when
   * the run can give it at once (no other read in flight: read-room.ts), else undefined and the
   * call fails as too heavy.
   */
  widen?: () => number | undefined;
  /**
   * Time the whole call (splits and restarts included) may take before no further page is asked,
   * on `clock`: without a clock, no limit. Default {@link DEFAULT_MAX_READ_MS}.
   */
  maxReadMs?: number;
  /** Times the call against `maxReadMs` (the run's clock; tests pass a virtual one). */
  clock?: Clock;
  pageSize?: number;
  signal?: AbortSignal;
}

/** Domo's result set changed while it was being paged (an event arrived mid-read). */
export class PagesShiftedError extends Error {
  constructor(
    message: string,
    /**
     * Where: the offset of the page that did not re-read the rows before it, and that page's rows
     * sorted (`offset:rows`), so reads that fail alike can be told (`RepeatedFault`). Absent when
     * rows of one time may be served in another order on each request, which fails alike by chance.
     */
    readonly at?: string,
  ) {
    super(message);
  }
}

/**
 * Domo served pages too small to page through safely: after a page holding only rows re-read from
 * the page before, it still had rows to give. The range fails; nothing of it is written.
 */
export class PagesTooSmallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PagesTooSmallError';
  }
}

/** A range held more than `maxPagesPerRange` pages and `whenFull` is `throw`. */
export class RangeFullError extends Error {
  constructor(
    message: string,
    /** Pages and requests spent on the range before it proved full. */
    readonly pages: number,
    readonly requests: number,
    /**
     * The entries the full read kept, newest first, when it was stopped by its page count alone:
     * every page passed the re-read check, so they are all the range holds after the last one's
     * time (see `fetch-span.ts`, which keeps the hours they complete). Absent after a deep offset
     * was refused or may have been cut: those pages are not trusted.
     */
    readonly read?: readonly ServedEntry[],
  ) {
    super(message);
  }
}

/**
 * Domo kept serving pages without the page that ends a range, beyond what any real instance logs:
 * the range (its hours) fails, nothing of it is written, and the next run tries again.
 */
export class EndlessPagesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndlessPagesError';
  }
}

/**
 * One second holding more than 100 full pages (about 50,000 distinct entries or more: a page that
 * re-reads a run of one time of nearly a page leaves the next one nearly all new) is not an
 * activity log: a server that never ends its paging.
 */
export const DEFAULT_MAX_PAGES_UNSPLITTABLE = 100;
/** One call (an hour, or a span of hours): about 5 million entries, past a Lambda's memory anyway. */
export const DEFAULT_MAX_PAGES_TOTAL = 5_000;
/**
 * One call (an hour, or quiet hours read together) may take 30 minutes before it asks no further
 * page: twice the longest a Lambda run lives (15 minutes, for all of its hours: an hour read for
 * longer could never be stored by the function), and more than one page's whole retry schedule
 * (13 minutes: 6 attempts of 30 s and 5 waits of 2 minutes) beside 35 pages answered just inside
 * the 30 s timeout. Pages only bounded a slow server that never ends its paging: 651 pages at 29 s
 * an answer kept a command-line run on one hour for 5 hours (review R-HOSTILE MEDIUM-1).
 */
export const DEFAULT_MAX_READ_MS = 30 * MINUTE_MS;
/** The most time a read may be given: a day, as no hour should take longer to read. */
export const MAX_READ_MS = DAY_MS;
/** Entries' JSON one call may hold unless told: ~270,000 entries of a typical ~480 bytes. */
export const DEFAULT_MAX_HELD_CHARS = 128 * 1024 * 1024;

/**
 * The entries of one range would not fit in the run's memory. A span of hours is read again in
 * halves; an hour fails before the process runs out of memory, nothing of it is written, and each
 * later run fails the same way until it is given more memory.
 */
export class RangeTooHeavyError extends Error {
  constructor(
    message: string,
    /** Pages and requests spent on the range before it proved too heavy. */
    readonly pages: number,
    readonly requests: number,
  ) {
    super(message);
    this.name = 'RangeTooHeavyError';
  }
}

class RangeTooLarge extends Error {
  constructor(
    /** The entries read until the page count stopped the read (see {@link RangeFullError.read}). */
    readonly read?: readonly ServedEntry[],
  ) {
    super();
  }
}

/**
 * Reads every entry Domo holds for the times `[ownedStartMs, ownedEndMs)`.
 *
 * Domo does not document whether `start` and `end` are inclusive, so a range `[a, b)` is always
 * requested as `start = a − 1`, `end = b` ({@link askedBounds}): that covers it under either
 * reading. Entries of the neighbouring millisecond on each side may come back too; the caller sorts
 * them out by time.
 *
 * Offset paging over a list ordered by time is only safe if the list holds still. Each page after
 * the first therefore re-reads the end of the previous page (the trailing run of rows of the last
 * row's time, which may come back in any order, plus the row before it: see `page-reread.ts`); if
 * those rows moved, something was inserted above them and the range is read again from the start.
 * Paging stops on a page holding nothing new, or on a page shorter than its `limit` by a tenth of it
 * or more once Domo has filled a page of it in the run, and short in bytes too (Domo may clamp
 * `limit` silently, by count or by bytes: see {@link shortInBytes} and {@link shortInCount}),
 * unless its count or its last row's time says a cap lowered mid-run may have cut it
 * ({@link mayBeCapped}): then the next page tells, and new rows on it teach the run the cap.
 *
 * A range that needs more than `maxPagesPerRange` pages is split at a whole second (so times read
 * from second-precision strings fall on the same side as Domo's own) and each half is read the same
 * way. An entry whose time lies inside one half is kept from that half's answer only; any other
 * entry (unreadable time, or a time outside both halves) is kept as many times as the larger of the
 * two answers holds it, so the overlap of the two requests never duplicates anything.
 */
export async function fetchRange(
  source: AuditSource,
  ownedStartMs: number,
  ownedEndMs: number,
  options: FetchRangeOptions,
): Promise<FetchedRange> {
  const counters = {
    pages: 0,
    requests: 0,
    entries: 0,
    heldChars: 0,
    maxHeld: options.maxHeldChars ?? DEFAULT_MAX_HELD_CHARS,
    range: span(ownedStartMs, ownedEndMs),
    served: options.largestPage ?? nothingServedYet(),
    startedMs: options.clock?.now() ?? 0,
  };
  const entries = await fetchOwned(
    source,
    ownedStartMs,
    ownedEndMs,
    options,
    counters,
    options.expectedEntries,
  );
  return { entries, pages: counters.pages, requests: counters.requests };
}

/**
 * What the whole call has cost so far (splits and restarts included), the weight of the entries
 * it holds (kept from finished reads and the read in progress), the range it reads, and what the
 * API has served (the run's, or this call's when the caller keeps none).
 */
type Counters = {
  pages: number;
  requests: number;
  entries: number;
  heldChars: number;
  /** What it may hold: `maxHeldChars`, or more once widened. */
  maxHeld: number;
  range: string;
  served: LargestPage;
  /** When the call started, on `options.clock`. */
  startedMs: number;
};

const span = (startMs: number, endMs: number) =>
  `${new Date(startMs).toISOString()}..${new Date(endMs).toISOString()}`;

async function fetchOwned(
  source: AuditSource,
  lo: number,
  hi: number,
  options: FetchRangeOptions,
  counters: Counters,
  /** Entries the range is expected to hold; undefined when nothing is known. */
  expected: number | undefined,
): Promise<ServedEntry[]> {
  const maxRestarts = options.maxRestarts ?? 3;
  const mid = Math.floor((lo + (hi - lo) / 2) / SECOND_MS) * SECOND_MS;
  const throwWhenFull = options.whenFull === 'throw';
  const canSplit = throwWhenFull || (mid > lo && mid < hi);
  const halves = canSplit ? splitAtOnce(expected, { lo, mid, hi }, options, counters) : undefined;
  if (halves) return readHalves(source, { lo, mid, hi }, options, counters, halves);
  const faults = new RepeatedFault();
  for (let attempt = 0; ; attempt++) {
    try {
      const asked = askedBounds(lo, hi);
      return await readPages(source, asked.startMs, asked.endMs, canSplit, options, counters);
    } catch (error) {
      if (readInHalves(error, canSplit))
        return splitOrRefuse(source, { lo, mid, hi }, options, counters, readKept(error));
      if (faults.readAgain(error, attempt < maxRestarts)) continue;
      throw faults.failure(error, attempt + 1, counters.range);
    }
  }
}

/**
 * The shifts of the reads of one range, each at the offset of the page that did not re-read the
 * rows before it and the rows that page held (in any order): the same on every read, and nothing
 * moved in Domo between them (an event added or deleted moves rows, so a second read fails
 * elsewhere or with other rows). Domo serving pages that overlap, or rows out of time order, the
 * same way each time has changed its paging: told as that, a configuration failure, rather than
 * "changed while they were being paged … run again", which every run said again (review R-DRIFT M5).
 */
class RepeatedFault {
  private first: string | undefined;
  private same = 0;

  /** Notes the failure of a read; whether the range is read again ({@link readAgain}, while `room`). */
  readAgain(error: unknown, room: boolean): boolean {
    this.note(error);
    return readAgain(error) && room;
  }

  /** What the last read's `error` is thrown as: a paging changed when every read failed alike. */
  failure(error: unknown, reads: number, range: string): unknown {
    return this.sameOnEveryRead(reads, range) ?? error;
  }

  private note(error: unknown): void {
    const at = error instanceof PagesShiftedError ? error.at : undefined;
    if (at === undefined || (this.first !== undefined && at !== this.first)) {
      this.same = -1;
      return;
    }
    this.first = at;
    if (this.same >= 0) this.same++;
  }

  /** The failure to throw when every one of `reads` reads failed alike, else undefined. */
  private sameOnEveryRead(reads: number, range: string): DomoAnswerShapeError | undefined {
    if (reads < 2 || this.same !== reads || this.first === undefined) return undefined;
    const offset = this.first.slice(0, this.first.indexOf(':'));
    return new DomoAnswerShapeError(
      `Domo's pages of ${range} do not follow on from each other, the same way on every read (they overlap, ` +
        `skip entries, or hold them out of time order): ${reads} reads from the start each found the same ` +
        `entries at offset ${offset}, not following on from the page before. Its paging changed, not its ` +
        'entries: nothing of the range is written, and every run fails the same until a version that reads ' +
        'the new paging is installed.',
    );
  }
}

/**
 * Whether a read that failed with `error` is read in halves: it had too many pages, or the server
 * stopped paging it, as it would at the same place on a read again.
 */
const readInHalves = (error: unknown, canSplit: boolean): boolean =>
  error instanceof RangeTooLarge || (canSplit && error instanceof PagesStoppedError);

/** The entries a read stopped by its page count kept (see {@link RangeFullError.read}). */
const readKept = (error: unknown): readonly ServedEntry[] | undefined =>
  error instanceof RangeTooLarge ? error.read : undefined;

/**
 * Whether a read that failed with `error` is read again from its start: its rows moved, or, in a
 * range that cannot be split, the server stopped paging it, which rows deleted mid-read (all of
 * those the page re-read, or some of a run of one time at the range's end) look like too.
 */
const readAgain = (error: unknown): boolean =>
  error instanceof PagesShiftedError || error instanceof PagesStoppedError;

/** A range with too many pages: read in two halves, or refused when the caller asked for that. */
async function splitOrRefuse(
  source: AuditSource,
  { lo, mid, hi }: { lo: number; mid: number; hi: number },
  options: FetchRangeOptions,
  counters: Counters,
  read: readonly ServedEntry[] | undefined,
): Promise<ServedEntry[]> {
  if (options.whenFull === 'throw') {
    throw new RangeFullError(
      `${new Date(lo).toISOString()}..${new Date(hi).toISOString()} holds more than ${options.maxPagesPerRange} pages`,
      counters.pages,
      counters.requests,
      read,
    );
  }
  return readHalves(source, { lo, mid, hi }, options, counters, [undefined, undefined]);
}

/** Reads `[lo, mid)` and `[mid, hi)` each on its own, expecting the entries given for each. */
async function readHalves(
  source: AuditSource,
  { lo, mid, hi }: { lo: number; mid: number; hi: number },
  options: FetchRangeOptions,
  counters: Counters,
  [leftExpected, rightExpected]: [number | undefined, number | undefined],
): Promise<ServedEntry[]> {
  const left = await fetchOwned(source, lo, mid, options, counters, leftExpected);
  const right = await fetchOwned(source, mid, hi, options, counters, rightExpected);
  return combineHalves(left, right, lo, mid, hi, options.timeOf);
}

/**
 * The entries each half is expected to hold when a range that splits when full (not one that
 * throws) is split before its first page: a read of `expected` entries would take more than
 * `maxPagesPerRange` pages. Each page after the first re-reads at least two rows of the one
 * before (usually exactly two), and the pages are as large as the API has served them when a read
 * went on past them, else as asked. Undefined: read the range whole.
 */
function splitAtOnce(
  expected: number | undefined,
  { lo, mid, hi }: { lo: number; mid: number; hi: number },
  options: FetchRangeOptions,
  counters: Counters,
): [number, number] | undefined {
  if (options.whenFull === 'throw' || expected === undefined || expected <= 0) return undefined;
  // Pages as large as the API has served them with more to come, else as asked: the largest page
  // served says nothing when the run has read only quiet hours (3 entries), and sized by it every
  // quiet hour after a known busy one was cut into thousands of requests.
  // At least a quarter of it: an API cutting pages by bytes serves few fat entries a page, and a
  // run sized by those cut every quiet hour after a busy one into ~130 requests (re-review).
  const asked = options.pageSize ?? MAX_PAGE_SIZE;
  const served = counters.served.pageSize > 0 ? counters.served.pageSize : asked;
  const pageSize = Math.min(asked, Math.max(served, Math.ceil(asked / 4)));
  if (Math.ceil(expected / Math.max(1, pageSize - 2)) + 1 <= options.maxPagesPerRange) return undefined;
  const perMs = expected / (hi - lo);
  return [perMs * (mid - lo), perMs * (hi - mid)];
}

function combineHalves(
  left: ServedEntry[],
  right: ServedEntry[],
  lo: number,
  mid: number,
  hi: number,
  timeOf: FetchRangeOptions['timeOf'],
): ServedEntry[] {
  const kept: ServedEntry[] = [];
  const strays = new Map<string, { entry: ServedEntry; left: number; right: number }>();
  const sort = (entries: ServedEntry[], side: 'left' | 'right', ownFrom: number, ownTo: number) => {
    for (const entry of entries) {
      const t = timeOf(entry.value);
      if (t !== undefined && t >= lo && t < hi) {
        if (t >= ownFrom && t < ownTo) kept.push(entry);
        continue;
      }
      const key = entryContentKey(entry);
      const stray = strays.get(key) ?? { entry, left: 0, right: 0 };
      stray[side]++;
      strays.set(key, stray);
    }
  };
  sort(left, 'left', lo, mid);
  sort(right, 'right', mid, hi);
  for (const { entry, left: l, right: r } of strays.values()) {
    for (let i = Math.max(l, r); i > 0; i--) kept.push(entry);
  }
  return kept;
}

/** Throws when one more page would pass a ceiling (a range that can be split is split instead). */
function checkCeilings(
  pages: number,
  read: Read,
  canSplit: boolean,
  options: FetchRangeOptions,
  counters: Counters,
): void {
  const { start, end } = read;
  checkReadTime(options, counters);
  const total = options.maxPagesTotal ?? DEFAULT_MAX_PAGES_TOTAL;
  if (counters.pages >= total) {
    throw new EndlessPagesError(
      `Domo served ${counters.pages} pages (${counters.entries} entries) for ${counters.range} without ` +
        `ever ending the range (ceiling ${total} pages): the API is misbehaving; nothing of it is written ` +
        `and ${NEXT_RUN_RETRIES}.`,
    );
  }
  if (canSplit) {
    if (pages >= options.maxPagesPerRange) throw new RangeTooLarge(read.entries);
    return;
  }
  const ceiling = options.maxPagesUnsplittable ?? DEFAULT_MAX_PAGES_UNSPLITTABLE;
  if (pages >= ceiling) {
    throw new EndlessPagesError(
      `Domo served ${pages} pages of up to ${read.limit} entries for ` +
        `${span(start + 1, end)} (at most one second, which cannot be split) and never the page that ends ` +
        `a range: no activity log holds that many events in one second, so the API is misbehaving (ceiling ` +
        `${ceiling} pages); nothing of ${counters.range} is written and ${NEXT_RUN_RETRIES}.`,
    );
  }
}

/**
 * The words of a read given up at its time ceiling, by which an entry point tells how to raise the
 * ceiling: an honest hour too busy to be read in it fails every run the same until it is raised.
 */
export const READ_TIME_CEILING = 'a read): the hour holds more than that time reads';

/** Throws when the call has taken its whole time ({@link DEFAULT_MAX_READ_MS}) and not ended. */
function checkReadTime(options: FetchRangeOptions, counters: Counters): void {
  if (!options.clock) return;
  const limit = options.maxReadMs ?? DEFAULT_MAX_READ_MS;
  const took = options.clock.now() - counters.startedMs;
  if (took < limit) return;
  throw new EndlessPagesError(
    `Domo took ${minutes(took)} for ${counters.pages} pages (${counters.entries} entries) of ` +
      `${counters.range} without ending the range (ceiling ${minutes(limit)} ${READ_TIME_CEILING}, ` +
      `or the API is too slow or never ends its paging; nothing of it is written and ${NEXT_RUN_RETRIES}. ` +
      'The ceiling is looked at before each page is asked, so a read can pass it by one page and its retries.',
  );
}

const minutes = (ms: number): string => `${Number((ms / MINUTE_MS).toFixed(1))} min`;

/**
 * A page past the first. An API with a ceiling on offsets (a result window) may refuse a deep one
 * with 400: a range that can be split is then read in halves, as one past `maxPagesPerRange` is,
 * rather than fail the run (a 400 stops it). One that cannot, or a 400 to the first page (which
 * says the query itself is refused), stays an error.
 */
async function fetchDeep(
  source: AuditSource,
  query: AuditQuery,
  canSplit: boolean,
  options: FetchRangeOptions,
  counters: Counters,
): Promise<AuditPage> {
  try {
    return await source.fetchPage(query, options.signal);
  } catch (error) {
    if (canSplit && query.offset > 0 && error instanceof DomoConfigError && error.status === 400) {
      // The refused request was sent: the run's request count includes it.
      counters.requests += 1;
      throw new RangeTooLarge();
    }
    throw error;
  }
}

/** One read of a range, from its first page: what it keeps, and what it has been served. */
interface Read {
  start: number;
  end: number;
  entries: ServedEntry[];
  /** Weight of the entries kept; counted in the call's total only once the read is kept. */
  held: number;
  /** Most entries one page of this read held: the API's page size, as far as it shows. */
  largestServed: number;
  /**
   * The `limit` pages are asked with: the option, or less once a page had to be asked again for
   * fewer entries (a body too long for the cap), for the rest of the read.
   */
  limit: number;
  /**
   * Set by a page holding an entry too large to read alone (too-large-entries.ts), which alone
   * lowered the limit to 2: the pages after it double the limit back while they fit, until one is
   * lowered again (fat entries around it). Kept at 2, an hour's other entries took two requests
   * each, and a busy second after it passed the pages one second may take: the hour failed.
   */
  growing?: boolean;
  /** Entries each page of the read held, in order (the request confirming the end included). */
  served: number[];
  /** The offset the last page was asked from. */
  lastOffset: number;
  /**
   * Entries of the last page, when it would have ended the range but a cap lowered mid-run may
   * have cut it ({@link mayBeCapped}), so the read went on: new rows on the next page teach the
   * run the cap.
   */
  readPast?: number | undefined;
}

function noteServed(read: Read, offset: number, page: AuditPage): void {
  read.served.push(page.entries.length);
  read.lastOffset = offset;
}

async function readPages(
  source: AuditSource,
  start: number,
  end: number,
  canSplit: boolean,
  options: FetchRangeOptions,
  counters: Counters,
): Promise<ServedEntry[]> {
  const limit = options.pageSize ?? MAX_PAGE_SIZE;
  const read: Read = { start, end, entries: [], held: 0, largestServed: 0, limit, served: [], lastOffset: 0 };
  let pages = 0;
  for (; ; pages++) {
    checkCeilings(pages, read, canSplit, options, counters);
    // Pages of one row have no room for a re-read row and a new one: only the end can be checked.
    if (read.largestServed === 1) {
      await confirmEnd(source, read, canSplit, options, counters);
      break;
    }
    const reread = rereadFor(read.entries, read.limit, options.timeOf);
    const offset = read.entries.length - reread.rows;
    const page = await fetchDeep(
      source,
      { start, end, limit: read.limit, offset },
      canSplit,
      options,
      counters,
    );
    noteServed(read, offset, page);
    const outcome = takePage(read, page, reread, options, counters);
    if (outcome === 'more') continue;
    if (outcome === 'confirm') await confirmEnd(source, read, canSplit, options, counters);
    break;
  }
  if (mayBeCut(pages + 1, read.served, read.lastOffset))
    await probePastEnd(source, read, pages + 1, canSplit, options, counters);
  counters.heldChars += read.held;
  return read.entries;
}

/**
 * After a read that may have been cut ({@link mayBeCut}), asks for one row past its last (see
 * `deep-offset-probe.ts`): one there, and the server served the deep offsets short or empty, so the
 * read misses rows. The range is then split, as after a 400 to a deep offset, instead of stored
 * with them missing; one that cannot be split fails.
 */
async function probePastEnd(
  source: AuditSource,
  read: Read,
  pages: number,
  canSplit: boolean,
  options: FetchRangeOptions,
  counters: Counters,
): Promise<void> {
  const past = pastLastRow(read.entries, read.start, read.end, options.timeOf);
  if (past === undefined) return;
  const page = await fetchDeep(source, past.query, canSplit, options, counters);
  countPage(counters, page);
  const time = page.entries.length > 0 ? options.timeOf(page.entries[0]) : undefined;
  if (time === undefined || !past.beyond(time)) return;
  if (canSplit) throw new RangeTooLarge();
  const range = span(read.start + 1, read.end);
  throw new DeepOffsetCutError(read.entries.length, pages, range, time, counters.range);
}

/**
 * Takes a page into `read`: `more` to read on, `ended`, or `confirm` when it holds only re-read
 * rows yet does not show the end ({@link confirmEnd}).
 */
function takePage(
  read: Read,
  page: AuditPage,
  reread: Reread,
  options: FetchRangeOptions,
  counters: Counters,
): 'more' | 'ended' | 'confirm' {
  countPage(counters, page);
  const overlap = reread.rows;
  const served = page.entries.length;
  throwIfEmptied(read, page, overlap, counters);
  const limit = takeLimit(read, page);
  if (limit <= overlap) {
    // Asked again for no more rows than the re-read ones, it could hold nothing new and says
    // nothing of the end: what it holds is checked, and the next page, asked with the smaller
    // limit, re-reads fewer rows. In order: those are too few to hold a run of one time whole and
    // match it out of order (page-reread.ts), so a run served in another order fails the range.
    if (!sameRows(page, read.entries, overlap, served)) throw shifted(read, page, overlap, options.timeOf);
    return 'more';
  }
  const fresh = freshRows(page, read.entries, reread, options.timeOf);
  if (fresh === undefined) throw notNewRows(read, page, reread, counters, options.timeOf);
  const bytes = pageBytes(page);
  if (served > overlap) learnFromReadPast(read, served, counters.served);
  const full = fullPage(counters.served, limit);
  const fillsPages = counters.served.entries >= full;
  notePage(counters.served, served, bytes);
  if (served <= overlap) return showsEnd(read, served, counters.served, bytes) ? 'ended' : 'confirm';
  // New rows after the read's earlier pages: those were pages as large as the API serves them,
  // unless the client had lowered the limit for bodies too long (pages of fat entries).
  if (read.limit === (options.pageSize ?? MAX_PAGE_SIZE))
    counters.served.pageSize = Math.max(counters.served.pageSize, Math.min(read.largestServed, full));
  read.largestServed = Math.max(read.largestServed, served);
  read.held += keepNew(page, fresh, read.entries);
  if (counters.heldChars + read.held > counters.maxHeld) widenOrRefuse(counters, read, options);
  const short = shortInCount(served, full) && fillsPages && shortInBytes(counters.served, bytes);
  const outcome =
    short && options.largestPage !== undefined ? endOrReadPast(read, served, full, options) : 'more';
  return outcome === 'more' ? growBack(read, options) : outcome;
}

/**
 * The limit the page was finally asked with (less after a body too long: shorter is short), kept
 * for the next page, and whether the read grows it back ({@link Read.growing}).
 */
function takeLimit(read: Read, page: AuditPage): number {
  const limit = Math.min(page.limit ?? read.limit, read.limit);
  if (page.tooLargeEntries?.length) read.growing = true;
  else if (limit < read.limit) read.growing = false;
  read.limit = limit;
  return limit;
}

/** Reads on ('more'), the next page asked for twice as many entries when the read grows back. */
function growBack(read: Read, options: FetchRangeOptions): 'more' {
  if (read.growing) read.limit = Math.min(options.pageSize ?? MAX_PAGE_SIZE, read.limit * 2);
  return 'more';
}

/** New rows after a page read past only because a cap may have cut it: one did ({@link learnCap}). */
function learnFromReadPast(read: Read, served: number, largest: LargestPage): void {
  if (read.readPast !== undefined && served <= read.readPast) learnCap(largest, read.readPast);
  read.readPast = undefined;
}

/**
 * A page with new rows, short enough to end its range: `ended`, or `more` to read past it when a cap
 * lowered mid-run may have cut it ({@link mayBeCapped}).
 */
function endOrReadPast(
  read: Read,
  served: number,
  full: number,
  options: FetchRangeOptions,
): 'ended' | 'more' {
  if (!mayBeCapped(served, full, readSoFar(read, options.timeOf))) return 'ended';
  read.readPast = served;
  return 'more';
}

/** What {@link mayBeCapped} judges a read's page by: its rows so far, its last row's time, its range. */
const readSoFar = (read: Read, timeOf: FetchRangeOptions['timeOf']): ReadSoFar => ({
  rows: read.entries.length,
  lastMs: timeOf((read.entries[read.entries.length - 1] as ServedEntry).value),
  startMs: read.start + 1,
  endMs: read.end,
});

function countPage(counters: Counters, page: AuditPage): void {
  counters.pages++;
  counters.requests += page.requests;
  counters.entries += page.entries.length;
}

/**
 * Why a page's re-read rows do not match: a tied run longer than the page can check, served in
 * another order (re-read whole, it fills the page to its end, as large as the API serves them; or,
 * longer than a page, its last rows re-read in order came back as rows of its time in another
 * order), or else {@link shifted}. Rows of a run longer than a page that came back in the order
 * read, only moved down (entries added above them mid-read on a server that keeps the order) are
 * {@link shifted} too, so the range is read again from its start (`fetchOwned`): judged a new
 * order, the hour failed although the next read would pass.
 */
function notNewRows(
  read: Read,
  page: AuditPage,
  reread: Reread,
  counters: Counters,
  timeOf: FetchRangeOptions['timeOf'],
): Error {
  const time = timeOf((read.entries[read.entries.length - 1] as ServedEntry).value);
  // Full: as large as asked, or as the largest page of the read when the API serves smaller ones.
  const full = Math.min(read.limit, read.largestServed > 0 ? read.largestServed : read.limit);
  const long = reread.tooLong;
  if (long && allOfTime(page, reread.rows, long.time, timeOf)) {
    // Rows before the run are of other times: a shift by more than the run's rows read is not
    // one of these rows, so the search stops there.
    if (shiftedDownBy(page, read.entries, reread.rows, long.run - reread.rows) > 0)
      return shifted(read, page, reread.rows, timeOf);
    return new LongTieError(long.run, long.time, full, counters.range);
  }
  // Short (by count, and in bytes: no cap cut it), with rows of the run's time not read before in
  // place of some that were: the run goes on past where the server stopped serving.
  const short = page.entries.length < full && shortInBytes(counters.served, pageBytes(page));
  if (short && tieToPageEnd(page, read.entries, reread, timeOf) > 0) return stopped(read, page, counters);
  const tied = tieCutByPage(page, read.entries, reread, full, timeOf);
  if (time !== undefined && tied > 0)
    return new LongTieError(tied, time, page.entries.length, counters.range);
  return shifted(read, page, reread.rows, timeOf);
}

/**
 * The page's rows not read before ({@link newRowsOf}); or nothing new, when a page re-reading the
 * last rows of a run longer than a page, in order, holds those rows only, all of the run's time but
 * in another order. The range may end with the run: the page that took its last rows re-read the
 * run with the row before it and held it to its end, so `takePage` judges this page as any holding
 * only re-read rows (the end, or one request more to confirm it). Rows past them, and the range
 * cannot be checked on ({@link notNewRows}).
 */
function freshRows(
  page: AuditPage,
  entries: readonly ServedEntry[],
  reread: Reread,
  timeOf: FetchRangeOptions['timeOf'],
): NewRows | undefined {
  const fresh = newRowsOf(page, entries, reread, timeOf);
  if (fresh) return fresh;
  const long = reread.tooLong;
  const served = page.entries.length;
  if (!long || served !== reread.rows || !allOfTime(page, served, long.time, timeOf)) return undefined;
  // Rows of the run's time are not enough: an entry above deleted mid-read moves a row never read
  // into the page, so they must be rows of the run already read, by content.
  if (!amongRows(page, served, entries.slice(entries.length - long.run))) return undefined;
  return { tied: [], from: served };
}

/** Whether the page holds at least `rows` rows and its first `rows` are all of `time`. */
function allOfTime(
  page: AuditPage,
  rows: number,
  time: number,
  timeOf: FetchRangeOptions['timeOf'],
): boolean {
  if (page.entries.length < rows) return false;
  for (let i = 0; i < rows; i++) if (timeOf(page.entries[i]) !== time) return false;
  return true;
}

/**
 * Throws when a page asked for `overlap` rows it served a request ago holds none: the server pages
 * no deeper (deleted mid-read, every row from there on would be gone, and the halves read what is
 * left). Checked before anything else: on a page asked for no more rows than the re-read, an
 * empty answer would pass as re-read rows in order, and be asked for again.
 */
function throwIfEmptied(read: Read, page: AuditPage, overlap: number, counters: Counters): void {
  if (page.entries.length === 0 && overlap > 0) throw stopped(read, page, counters);
}

/** The server stopped paging the read at `page` ({@link PagesStoppedError}). */
const stopped = (read: Read, page: AuditPage, counters: Counters) =>
  new PagesStoppedError({
    entries: read.entries.length,
    offset: read.lastOffset,
    served: page.entries.length,
    range: span(read.start + 1, read.end),
    whole: counters.range,
  });

const count = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/**
 * Why a page's re-read rows differ from the rows read before. A page past the first that starts
 * with the range's first rows again (more of them than the re-read) is an API that ignores
 * `offset`, which would fail every run the same way: said so, rather than "changed". So would a
 * run of one time matched in order (longer than a page can re-read whole and lined up as rows
 * moved down by chance, after a row whose time cannot be read, or on a page asked again for fewer
 * rows: see `page-reread.ts`) served in another order on each request: named as a possible cause.
 */
const shifted = (read: Read, page: AuditPage, overlap: number, timeOf: FetchRangeOptions['timeOf']) => {
  const offset = read.entries.length - overlap;
  const head = Math.min(page.entries.length, read.entries.length);
  if (offset > 0 && head > 1 && sameRows(page, read.entries.slice(0, head), head, head)) {
    return new PagesShiftedError(
      `Domo served the first entries of ${span(read.start, read.end)} again when asked for those from offset ${offset} on: the API at this address ignores \`offset\`, so no range longer than a page can be read. Check the API base address (Domo's is https://api.domo.com)`,
    );
  }
  const n = read.entries.length;
  const time = overlap > 1 ? timeOf((read.entries[n - 1] as ServedEntry).value) : undefined;
  const oneTime = time !== undefined && timeOf((read.entries[n - overlap] as ServedEntry).value) === time;
  const at = oneTime ? undefined : `${offset}:${pageRows(page)}`;
  return new PagesShiftedError(
    `Domo's entries for ${span(read.start, read.end)} changed while they were being paged` +
      (oneTime
        ? ` (or Domo serves entries of one time in another order on each request: ${overlap} or more ` +
          `of ${new Date(time).toISOString()} met a page edge, and could only be checked in that order ` +
          'there: more of them than a page can re-read with the entry before them and a new one, after ' +
          'an entry whose time cannot be read, or on a page asked again for fewer entries)'
        : ''),
    at,
  );
};

/** A page's rows in any order, as one text: read only when a read fails (rare). */
const pageRows = (page: AuditPage): string =>
  (page.entryTexts ?? page.entries.map((entry) => JSON.stringify(entry) ?? 'null')).slice().sort().join('\n');

/**
 * Whether a page holding only rows re-read from the page before shows the end of the range: it is
 * shorter than the pages this read was served, by count, and short in bytes too (see
 * {@link shortInBytes}), so neither a cap on entries nor one on bytes cut it. Otherwise the API's
 * pages may be no larger than the re-read rows, and {@link confirmEnd} asks once more.
 */
const showsEnd = (read: Read, served: number, largest: LargestPage, bytes: PageBytes): boolean =>
  served === 0 || (served < read.largestServed && shortInBytes(largest, bytes));

/**
 * Asks for the rows after the last one kept, with no re-read: none, and the range has ended (an
 * entry inserted above would have pushed one there); some, and the API's pages are too small to
 * hold the re-read rows and a new one (one row a page, or a run of rows of one time as long as a
 * page), so the range fails rather than read on unchecked.
 */
async function confirmEnd(
  source: AuditSource,
  read: Read,
  canSplit: boolean,
  options: FetchRangeOptions,
  counters: Counters,
): Promise<void> {
  const { start, end, entries, limit } = read;
  const after = await fetchDeep(
    source,
    { start, end, limit, offset: entries.length },
    canSplit,
    options,
    counters,
  );
  countPage(counters, after);
  noteServed(read, entries.length, after);
  if (after.entries.length === 0) return;
  throw new PagesTooSmallError(
    `Domo served pages too small to page through for ${span(start + 1, end)}: at most ` +
      `${count(read.largestServed)} a page when ${limit} were asked for, and more entries after them. ` +
      'Each page re-reads the end of the page before (its last entry, those of its time or identical ' +
      'to it, and one more) to see whether entries moved, and pages no larger than that leave no room for a new ' +
      `entry: nothing of ${counters.range} is written and ${NEXT_RUN_RETRIES}.`,
  );
}

/**
 * Appends the page's rows not read before to `entries` (those of a tied run, which keep their
 * time's place at the end, then the rest); what they weigh (their JSON's bytes, more for entries
 * whose nesting, or text past Latin-1, takes more once parsed: see `entry-weight.ts`).
 */
function keepNew(page: AuditPage, fresh: NewRows, entries: ServedEntry[]): number {
  let weight = 0;
  const keep = (i: number) => {
    const entry = entryAt(page, i) as ServedEntry;
    entries.push(entry);
    weight += page.entryWeights?.[i] ?? entryWeightOfText(entry.text);
  };
  for (const i of fresh.tied) keep(i);
  for (let i = fresh.from; i < page.entries.length; i++) keep(i);
  return weight;
}

const MIB = 1024 * 1024;

/** Past what the call may hold: goes on to a wider ceiling the run gives at once, or fails too heavy. */
function widenOrRefuse(counters: Counters, read: Read, options: FetchRangeOptions): void {
  const wider = options.widen?.();
  if (wider !== undefined && wider > counters.maxHeld) counters.maxHeld = wider;
  if (counters.heldChars + read.held > counters.maxHeld) throw tooHeavy(counters, counters.maxHeld);
}

function tooHeavy(counters: Counters, maxHeld: number): RangeTooHeavyError {
  const mib = Number((maxHeld / MIB).toFixed(2));
  return new RangeTooHeavyError(
    `Domo served more than ${mib} MiB of entries' JSON for ${counters.range} (${counters.entries} ` +
      `entries in ${counters.pages} pages, re-reads included; nested arrays and objects, and text past ` +
      'Latin-1 (two bytes a character), weighed at what they take parsed) before the range ended, more than this run may hold in ' +
      'memory for one range: nothing of it is written, and every run stops here the same way until ' +
      'the ingest is given more memory.',
    counters.pages,
    counters.requests,
  );
}
