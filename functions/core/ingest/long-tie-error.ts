const iso = (ms: number) => new Date(ms).toISOString();

/**
 * More entries share one time, at a page edge, than a page can re-read together with the entry
 * before them and a new one (`page-reread.ts`): Domo promises no order for them, so they cannot be
 * paged through with a check, and the range fails rather than risk losing one and doubling
 * another. Splitting the range does not help (they share a millisecond), so it is not tried.
 */
export class LongTieError extends Error {
  constructor(
    /** The entries of that time read so far: at least this many share it. */
    readonly entries: number,
    readonly timeMs: number,
    /** Entries a page held: the `limit` asked, or fewer when the API serves smaller pages. */
    readonly pageSize: number,
    /** The range read, as `start..end`. */
    range: string,
  ) {
    super('');
    this.name = 'LongTieError';
    this.message =
      `${entries} or more entries of ${range} share one time, ${iso(timeMs)}, and a page of ` +
      `${pageSize} cannot hold them with the entry before them and a new one. Domo serves the ` +
      'entries of one time in no stable order from one request to the next, so those a page edge ' +
      'cuts are checked by reading them all again on the next page; these cannot be, and reading on ' +
      'could lose one of them and store another twice. Nothing of the range is written. The hour is ' +
      'tried again on every run and fails the same way while Domo holds that many entries of one ' +
      'time: pages are already as large as Domo serves them, so no setting changes this.';
  }
}
