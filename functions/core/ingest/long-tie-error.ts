const iso = (ms: number) => new Date(ms).toISOString();

/**
 * More entries share one time, at a page edge, than a page can re-read together with the entry
 * before them and a new one (`page-reread.ts`), and Domo served them in another order on the next
 * page: they cannot be paged through with a check, and the range fails rather than risk losing one
 * and doubling another. Splitting the range does not help (they share a millisecond), so it is not
 * tried. Served in one order, such a run is read (its last half page matched in order).
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
      `${entries} or more entries of ${range} share one time, ${iso(timeMs)}, more than a page of ` +
      `${pageSize} can re-read with the entry before them and a new one, and Domo served them in a ` +
      'changing order from one request to the next. Entries of one time that a page edge cuts are ' +
      'checked on the next page: all of them again, in any order, when a page holds them; else the ' +
      'last half page of them, in the order served before. Reading on could lose one of them and ' +
      'store another twice, so nothing of the range is written. The hour is tried again on every run ' +
      'and fails the same way while Domo serves that many entries of one time in a changing order ' +
      '(an entry added above them while the range is read only moves them down, in the order ' +
      'served before: that is told apart, and the range read again): ' +
      'pages are already as large as Domo serves them, so no setting changes this.';
  }
}
