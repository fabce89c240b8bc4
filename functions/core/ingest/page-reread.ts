import type { AuditPage } from '../domo/audit-source.ts';
import { entryContentKey } from './entry-content-key.ts';
import type { ServedEntry } from './served-entry.ts';

/**
 * What each page after the first re-reads of the rows read before it, and how the re-read rows are
 * matched against those (see `fetchRange`).
 *
 * The API is relied on to serve a range's rows ordered by time (newest or oldest first), and for
 * nothing else: Domo promises no order, and SQL engines serve rows of one ORDER BY value (ties) in
 * any order, which may differ between requests of other OFFSET/LIMIT (PostgreSQL and MySQL say so).
 * One bulk action writes several entries in one millisecond. Rows of one time therefore form one
 * block in every answer, but not one order, and the rows at the end of a page may be served on
 * the next page in another order, or swapped for rows of that time not read yet.
 */

/** An entry's time (epoch ms), or undefined when it cannot be read: `FetchRangeOptions.timeOf`. */
type TimeOf = (entry: unknown) => number | undefined;

/** The rows a page re-reads at its start, counted back from the end of the rows read before. */
export interface Reread {
  /** Rows re-read: the page is asked from the rows read so far less these. */
  rows: number;
  /**
   * How many of them (the last ones) are the whole run of the last row's time as read so far, the
   * row before that run being re-read too or the run starting the range. Matched as a multiset,
   * any rows of that time not read before are new. 0: the rows are matched in order (the last
   * row's time cannot be read, or the row before its run has no time that can be read).
   */
  tied: number;
  /**
   * Set when the trailing run of the last row's time, with the row before it, fills a whole page:
   * a page re-reading it would have no room for a new row, so only its last rows are re-read, in
   * order (see {@link rereadFor}). The run's length as read so far, and its time.
   */
  tooLong?: { run: number; time: number };
}

/** A page's rows not read before: tied rows taken out of order (indices), then every row from `from`. */
export interface NewRows {
  tied: number[];
  from: number;
}

/** The entry at `i` of a page (its text as served, and whether it was scrubbed), or undefined past its end. */
export function entryAt(page: AuditPage, i: number): ServedEntry | undefined {
  if (i >= page.entries.length) return undefined;
  const value = page.entries[i];
  // A source that cannot give the text (none in this code base) falls back to re-encoding.
  const text = page.entryTexts?.[i] ?? JSON.stringify(value) ?? 'null';
  const entry: ServedEntry = page.credentialEntries?.includes(i)
    ? { value, text, credential: true }
    : { value, text };
  if (page.invalidUtf8Entries?.includes(i)) entry.invalidUtf8 = true;
  const notJson = page.notJsonEntries?.find((bad) => bad.index === i);
  if (notJson !== undefined) entry.notJson = notJson.error;
  const tooLarge = page.tooLargeEntries?.find((big) => big.index === i);
  if (tooLarge !== undefined) entry.tooLarge = tooLarge.reason;
  return entry;
}

/** Same content: the same text as served, or else the same content key (key order aside). */
const sameEntry = (a: ServedEntry, b: ServedEntry): boolean =>
  a.text === b.text || entryContentKey(a) === entryContentKey(b);

/**
 * Rows to re-read at the start of the next page, asked with `limit`: the trailing run of rows of
 * the last row's time and the row before that run. A row inserted above them moves that row (or a
 * row of another time) into the run's place; rows of the run's own time may come back in another
 * order, or with rows of that time not read yet, so the whole run is re-read and matched as a
 * multiset, however long, as long as it leaves room in the page for one new row (`limit` - 1 rows
 * re-read at most). A longer run (`tooLong`) cannot be checked whole by any page: its last half
 * page is matched in order, as before the multiset match. A server that keeps ties in one order
 * (the simulators, and maybe Domo) reads on; one that reorders them fails that match on nearly
 * every read, but not always: when the last half page comes back in the same order, a row of the
 * run further up swapped with one past the page edge goes unseen (review R-TO: one row lost and
 * another doubled). Failing every such run instead failed a bulk action of a page or more on
 * every server, every run.
 *
 * When the last row's time cannot be read, the run is that of rows identical to it (so identical
 * twins cannot hide a shift), matched in order as before, at most half a page of them. A run whose
 * row before it has no time that can be read is matched in order too, whole (see below).
 */
export function rereadFor(entries: readonly ServedEntry[], limit: number, timeOf: TimeOf): Reread {
  const n = entries.length;
  if (n === 0) return { rows: 0, tied: 0 };
  const last = entries[n - 1] as ServedEntry;
  const time = timeOf(last.value);
  const cap = Math.max(1, Math.floor(limit / 2));
  if (time === undefined) {
    const run = trailingRun(entries, cap, (row) => sameEntry(row, last));
    return { rows: Math.min(n, run + 1, cap), tied: 0 };
  }
  const ofTime = (row: ServedEntry) => timeOf(row.value) === time;
  const run = trailingRun(entries, limit, ofTime);
  // Pages asked for 2 (bodies too long) have no room for a row before and a new one: a last row
  // of a time of its own is matched alone, in order, as before.
  if (run === 1 && limit <= 2) return { rows: 1, tied: n === 1 ? 1 : 0 };
  const rows = Math.min(n, run + 1);
  if (rows >= limit)
    return { rows: Math.min(n, cap), tied: 0, tooLong: { run: trailingRun(entries, n, ofTime), time } };
  // A row before the run whose time cannot be read may be one of the run's time on the server, so
  // a row read before can come back after it, and be taken for new, while one not read yet moved
  // above it (review R-TO): the run is then matched in order, whole.
  const before = run < n ? timeOf((entries[n - 1 - run] as ServedEntry).value) : undefined;
  return { rows, tied: run === n || before !== undefined ? run : 0 };
}

/** How many of the last rows of `entries` (at most `cap`) pass `inRun`, the last one counted in. */
function trailingRun(
  entries: readonly ServedEntry[],
  cap: number,
  inRun: (row: ServedEntry) => boolean,
): number {
  const most = Math.min(entries.length, cap);
  let run = 1;
  while (run < most && inRun(entries[entries.length - 1 - run] as ServedEntry)) run++;
  return run;
}

/**
 * The rows of `page` not read before, or undefined when its first `reread.rows` rows are not the
 * rows that ended `entries` (the page before): something was inserted above them (or taken away),
 * and the range must be read again.
 *
 * In order, they must be the same rows. Tied (see {@link Reread}): the rows before the run must be
 * of the same times (a row of another time is not in the run: one row of the time before it may
 * stand for another), and the rows that follow them, as long as they have the run's time, must hold
 * every row of the run read before, as often as read before (identical twins included); those of
 * them left over are new. A row inserted above the run pushes a row of another time into its place,
 * so the run's rows can no longer all follow: a shift is still caught, and a row of the run's own
 * time joins the run, re-read whole, so it is taken, not lost.
 */
export function newRowsOf(
  page: AuditPage,
  entries: readonly ServedEntry[],
  reread: Reread,
  timeOf: TimeOf,
): NewRows | undefined {
  if (sameRows(page, entries, reread.rows, reread.rows)) return { tied: [], from: reread.rows };
  if (reread.tied === 0) return undefined;
  const before = reread.rows - reread.tied;
  if (!sameTimes(page, entries, reread, timeOf)) return undefined;
  const owed = contentCounts(entries.slice(entries.length - reread.tied));
  const time = timeOf((entries[entries.length - 1] as ServedEntry).value);
  const tied: number[] = [];
  let i = before;
  for (; i < page.entries.length && timeOf(page.entries[i]) === time; i++) {
    if (!takeOne(owed, entryAt(page, i) as ServedEntry)) tied.push(i);
  }
  return owed.size === 0 ? { tied, from: i } : undefined;
}

/**
 * How many rows of the tied run's time `page` holds when it fails {@link newRowsOf} only because the
 * run is longer than the page can check: the rows before the run as {@link newRowsOf} wants them,
 * then rows of the run's time to its end ({@link tieToPageEnd}), and the page `full` (as large as
 * the API serves them, so the run may go on past it). Served in another order on each request,
 * rows of the run read before then fall past the page's end. 0 otherwise: a shift.
 */
export function tieCutByPage(
  page: AuditPage,
  entries: readonly ServedEntry[],
  reread: Reread,
  full: number,
  timeOf: TimeOf,
): number {
  // A page shorter than a full one ended the range, lost rows (deleted mid-read) or was cut where
  // the server stops paging: not a run the page cut, which fills it.
  return page.entries.length < full ? 0 : tieToPageEnd(page, entries, reread, timeOf);
}

/**
 * How many rows of the tied run's time `page` holds after the rows before the run, as
 * {@link newRowsOf} wants those, when every row after them to the page's end is of that time; 0
 * when the page is not shaped so (a row of another time among them: a shift), or the run is
 * matched in order.
 */
export function tieToPageEnd(
  page: AuditPage,
  entries: readonly ServedEntry[],
  reread: Reread,
  timeOf: TimeOf,
): number {
  const served = page.entries.length;
  if (reread.tied === 0) return 0;
  if (!sameTimes(page, entries, reread, timeOf)) return 0;
  const time = timeOf((entries[entries.length - 1] as ServedEntry).value);
  const before = reread.rows - reread.tied;
  for (let i = before; i < served; i++) if (timeOf(page.entries[i]) !== time) return 0;
  return Math.max(reread.tied, served - before);
}

/**
 * Whether the page's rows before a tied run are the rows re-read before it, or rows of their
 * times (when readable).
 */
function sameTimes(
  page: AuditPage,
  entries: readonly ServedEntry[],
  reread: Reread,
  timeOf: TimeOf,
): boolean {
  const start = entries.length - reread.rows;
  for (let i = 0; i < reread.rows - reread.tied; i++) {
    const served = entryAt(page, i);
    const before = entries[start + i] as ServedEntry;
    if (served === undefined) return false;
    const time = timeOf(before.value);
    if (!sameEntry(served, before) && (time === undefined || timeOf(served.value) !== time)) return false;
  }
  return true;
}

/** Whether the page's first `count` rows are, as a multiset by content, among `rows`. */
export function amongRows(page: AuditPage, count: number, rows: readonly ServedEntry[]): boolean {
  const owed = contentCounts(rows);
  for (let i = 0; i < count; i++) if (!takeOne(owed, entryAt(page, i) as ServedEntry)) return false;
  return true;
}

/** Takes one row of `entry`'s content out of `owed`; false when none is left (a row not owed). */
function takeOne(owed: Map<string, number>, entry: ServedEntry): boolean {
  const key = entryContentKey(entry);
  const left = owed.get(key) ?? 0;
  if (left === 0) return false;
  if (left === 1) owed.delete(key);
  else owed.set(key, left - 1);
  return true;
}

/** How many times each content ({@link entryContentKey}) occurs among `rows`. */
function contentCounts(rows: readonly ServedEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = entryContentKey(row);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Fewest rows of a long run that, lined up in the order read at a shift, are taken for rows moved
 * down rather than for a new order: one row or two line up by chance often (at some shift among
 * several, in a run served in any order); four different rows in their order, rarely.
 */
const SHIFT_EVIDENCE_ROWS = 4;

/**
 * How many rows the page's first `rows` rows moved down since they were read, when they are, in
 * order, rows read before: the `rows` rows `k` rows above those asked for again (1 <= `k` <=
 * `most`), as on a server that keeps its order and had `k` entries added above them mid-read. 0
 * when they are not, and when they are too few or not all different to tell: rows of one time
 * served in a changing order line up so by chance when there are one or two of them, or when they
 * repeat one content (twins look in order whatever the order), and each read again is one more
 * chance for such a read to pass with an entry lost and another doubled. Four or more different
 * rows rarely line up so: read again, a server that reorders them fails as before.
 */
export function shiftedDownBy(
  page: AuditPage,
  entries: readonly ServedEntry[],
  rows: number,
  most: number,
): number {
  if (rows < SHIFT_EVIDENCE_ROWS || !allDifferent(page, rows)) return 0;
  for (let k = 1; k <= most && rows + k <= entries.length; k++) {
    if (sameRows(page, entries, rows + k, rows)) return k;
  }
  return 0;
}

/** Whether the page's first `rows` rows all differ in content. */
function allDifferent(page: AuditPage, rows: number): boolean {
  const first: ServedEntry[] = [];
  for (let i = 0; i < rows; i++) {
    const entry = entryAt(page, i);
    if (entry === undefined) return false;
    first.push(entry);
  }
  return contentCounts(first).size === rows;
}

/**
 * Whether the page's first `rows` rows are the `overlap` rows that ended `entries` (the page
 * before), in order, from the first: all of them (`rows` = `overlap`), or as many as a page asked
 * for fewer holds.
 */
export function sameRows(
  page: AuditPage,
  entries: readonly ServedEntry[],
  overlap: number,
  rows: number,
): boolean {
  for (let i = 0; i < rows; i++) {
    const reread = entryAt(page, i);
    const before = entries[entries.length - overlap + i];
    if (reread === undefined || before === undefined || !sameEntry(reread, before)) return false;
  }
  return true;
}
