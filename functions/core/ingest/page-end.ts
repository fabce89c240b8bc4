import type { AuditPage } from '../domo/audit-source.ts';

/**
 * What this client has been served in the run, shared by every range it reads: the most entries
 * one page held, the longest body and the longest entry (bytes). Once a page has held the whole
 * `limit` asked for (the API fills the pages it is asked for, by count), a page shorter than its
 * `limit` is the last of its range, if it is short in bytes too (see {@link shortInBytes}); until
 * then only a page holding nothing new ends a range.
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
}

export const nothingServedYet = (): LargestPage => ({ entries: 0, bodyBytes: 0, entryBytes: 0, pageSize: 0 });

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
export function shortInBytes(largest: LargestPage, bytes: PageBytes): boolean {
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
