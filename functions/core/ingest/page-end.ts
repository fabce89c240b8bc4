import type { AuditPage } from '../domo/audit-source.ts';

/**
 * What this client has been served in the run, shared by every range it reads: the most entries
 * one page held, the longest body and the longest entry (bytes). Once a page has held the whole
 * `limit` asked for (the API fills the pages it is asked for, by count), a page shorter than its
 * `limit` is the last of its range, if it is short in bytes too (see {@link shortInBytes}) and
 * nothing says a cap lowered since cut it ({@link mayBeCapped}); until then only a page holding
 * nothing new ends a range.
 */
export interface LargestPage {
  entries: number;
  bodyBytes: number;
  entryBytes: number;
  /**
   * The most entries a page held that its read went on past (a later page of the same read held
   * new rows): the size the API serves its pages at, which a last page (3 entries of a quiet
   * hour) does not tell. 0 until a read has gone past a page.
   */
  pageSize: number;
  /**
   * The most entries the API now serves a page, when it was seen to serve fewer than asked with
   * more to come ({@link learnCap}): its cap on a page, lowered mid-run. 0 while none is known; a
   * page holding more forgets it (the cap was raised again).
   */
  servesAtMost: number;
  /** The cap last told of: a cap forgotten and learnt again is not told twice. */
  toldCap: number;
  /** Told of a cap learnt (the run logs it). */
  onCapLearnt?: (entries: number) => void;
}

export const nothingServedYet = (onCapLearnt?: (entries: number) => void): LargestPage => ({
  entries: 0,
  bodyBytes: 0,
  entryBytes: 0,
  pageSize: 0,
  servesAtMost: 0,
  toldCap: 0,
  ...(onCapLearnt ? { onCapLearnt } : {}),
});

/** A page's bytes as served: its body, and its longest entry. */
export interface PageBytes {
  body: number;
  longestEntry: number;
}

/**
 * The page's bytes: the body and entry sizes the source measured, or else those of its entries'
 * texts, with the commas and brackets around them.
 */
export function pageBytes(page: AuditPage): PageBytes {
  const n = page.entries.length;
  let total = 0;
  let longestEntry = 0;
  for (let i = 0; i < n; i++) {
    const bytes =
      page.entryBytes?.[i] ??
      Buffer.byteLength(page.entryTexts?.[i] ?? JSON.stringify(page.entries[i]) ?? 'null');
    total += bytes;
    if (bytes > longestEntry) longestEntry = bytes;
  }
  return { body: page.bodyBytes ?? total + Math.max(0, n - 1) + 2, longestEntry };
}

/** Notes a page served (of any range) in what the run has been served. */
export function notePage(largest: LargestPage, served: number, bytes: PageBytes): void {
  if (served > largest.entries) largest.entries = served;
  if (served > largest.servesAtMost) largest.servesAtMost = 0;
  if (bytes.body > largest.bodyBytes) largest.bodyBytes = bytes.body;
  if (bytes.longestEntry > largest.entryBytes) largest.entryBytes = bytes.longestEntry;
}

/**
 * Whether a page that holds fewer entries than asked for is short in bytes too: whether the next
 * entry would have fitted under any cap on bytes the API may have. Every body served bounds such a
 * cap from below, so a page with room for twice the longest entry served in the run, under the
 * longest body served, was not cut by bytes unless its next entry is more than twice as long as
 * any served so far. An API that caps its pages by bytes fills 1,000 thin entries a page and ends
 * its pages of fat ones short: without this, the first such page ended the range with the rest of
 * the hour unread.
 */
export function shortInBytes(
  largest: Pick<LargestPage, 'bodyBytes' | 'entryBytes'>,
  bytes: PageBytes,
): boolean {
  return bytes.body + 2 * largest.entryBytes <= largest.bodyBytes;
}

/**
 * Whether a page shorter than its `limit` is short enough in count to end its range: by at least a
 * tenth of the limit. One a few rows short of full is what an API that drops rows from a page after
 * paging it would serve mid-range (Domo documents no such filter, and none is known; review
 * R-SIM F1), so such a page is read past at the cost of one request: a last page of 900-999 rows
 * in a tenth of the ranges that end on a page as long, none for the quiet hours' short pages. What
 * that request finds decides: nothing new ends the range as before, more rows of an API that
 * offsets by its pre-filter rows fail the re-read check loudly instead of an hour stored short.
 */
export const shortInCount = (served: number, limit: number): boolean =>
  served + Math.ceil(limit / 10) <= limit;

/** The entries a page holds when full: as many as asked, or the cap learnt when that is lower. */
export const fullPage = (largest: LargestPage, limit: number): number =>
  largest.servesAtMost > 0 ? Math.min(limit, largest.servesAtMost) : limit;

/**
 * Notes that the API served a page of `entries` rows where more were asked, and the page after it
 * held more of its range: its cap on a page is `entries` now (Domo's largest `limit` is not
 * documented; domo-api-notes §1.2). From here on a page that large is full, so it never ends a
 * range, and ranges are sized by it.
 */
export function learnCap(largest: LargestPage, entries: number): void {
  if (entries <= 0) return;
  largest.servesAtMost = entries;
  largest.pageSize = largest.pageSize > 0 ? Math.min(largest.pageSize, entries) : entries;
  if (largest.toldCap === entries) return;
  largest.toldCap = entries;
  largest.onCapLearnt?.(entries);
}

/** What the run says of a cap learnt ({@link learnCap}). */
export const capLearnt = (entries: number): string =>
  `Domo now serves at most ${entries} entries a page, fewer than asked, with more after them: its ` +
  'cap on a page was lowered, and the run reads on past pages of that size from here on.';

/**
 * Rows a read, at the pace its rows came, leaves between its last row and its range's start past
 * which a page that would end the range by count is read past instead. A range's last page ends
 * with its oldest row, within a few rows' spacing of the start; a page cut by a cap lowered mid-run
 * (H1 of review R-DRIFT) ends wherever the cap fell, with the rest of the range behind it. Activity
 * comes in bursts, so true last pages leave such gaps more often than even spacing would: at 4,
 * issue 9's bench workload paid 10 requests more at concurrency 4; at 8, 3 (docs/decisions.md).
 */
export const ROWS_LEFT_TO_READ_PAST = 8;

/** A read so far: the rows it kept, its last row's time (undefined when unreadable), its bounds. */
export interface ReadSoFar {
  rows: number;
  lastMs: number | undefined;
  /** The range's own first millisecond and its end (exclusive). */
  startMs: number;
  endMs: number;
}

/**
 * Whether a page of `served` rows, short enough to end its range when pages hold `full`, may have
 * been cut by a cap on a page lowered since the API was seen to fill its pages: it holds a tenth of
 * a full page or more (a quiet hour's few rows are not a cap) and, at the pace the read's rows came
 * (`read`: all it kept, from the range's end down to its last row), more than
 * {@link ROWS_LEFT_TO_READ_PAST} rows would still lie before the range's start (a last row whose
 * time cannot be read, or lies past the range's end, cannot tell). Any page of a read, not its
 * first only (review R2-DRIFT): a cap that drops while a read is past its first page (the reads in
 * flight when it drops) cut that read's next page, and the range was stored short with no word.
 * Such a page is read past, at the cost of one request: a page holding only the re-read rows then
 * ends the range, one holding new rows teaches the run the cap ({@link learnCap}). Judged from a
 * count and one row's time, this adds no work per entry. Missed, and the range stored short: a cap
 * that leaves about {@link ROWS_LEFT_TO_READ_PAST} rows or fewer, or rows crowded at the range's
 * start, and one under a tenth of a page; the first range it cuts deeper teaches the run the cap.
 * Paid for: a read whose rows begin late in its range (its last page is read past once). A round
 * count (500, 250…) is no sign by itself: the suite's workloads of round hours
 * (`span-requests-busy-after-quiet.test.ts`, `byte-capped-pages.test.ts`) paid requests for it.
 */
export function mayBeCapped(served: number, full: number, read: ReadSoFar): boolean {
  if (served * 10 < full) return false;
  if (read.lastMs === undefined) return true;
  const before = read.lastMs - read.startMs;
  if (before <= 0) return false;
  const after = read.endMs - read.lastMs;
  return after <= 0 || read.rows * before > ROWS_LEFT_TO_READ_PAST * after;
}
