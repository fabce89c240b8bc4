/** Where a server stopped paging a range, as a page asked for the rows that ended the one before showed it. */
interface PagesStopped {
  /** Entries of the range read before that page. */
  entries: number;
  /** The offset the page was asked from, and the entries it held (fewer than its re-read). */
  offset: number;
  served: number;
  /** The range read, as `start..end`. */
  range: string;
  /** The range the call reads (an hour, or a span), as `start..end`. */
  whole: string;
}

/**
 * A page asked for the rows that ended the page before (its re-read) came back without them, and
 * short: empty, or holding rows of their time not read yet in place of some of them and then no
 * more. The server holds rows past where it stopped (it served them a request ago, or the run of
 * one time goes on) yet pages no deeper, the way a server with a ceiling on its result window
 * answers past it when it does not refuse the request (400). Read again whole, the same page comes
 * back the same: a range that can be split is read in halves, whose offsets stay shallower; one
 * that cannot (one second) is read again as after a change (rows deleted mid-read can look the
 * same), and fails with this when every read stops so.
 */
export class PagesStoppedError extends Error {
  constructor({ entries, offset, served, range, whole }: PagesStopped) {
    // An empty page may be asked from below the deepest entry served (its re-read): the server
    // paged at least that deep.
    const stop = Math.max(entries, offset + served);
    const page =
      served === 0
        ? 'empty'
        : `with ${served} entries, short, some of them entries of one time not read before in place of ones that were`;
    super(
      `Domo served ${entries} entries of ${range} and then no more, though it holds more: the ` +
        `page asked from offset ${offset} for the entries it had served there a request before ` +
        `came back ${page}. It stops paging at about ${stop} entries (a ceiling on its result ` +
        'window, answered with short or empty pages instead of an error), and this range (one ' +
        `second) cannot be read in smaller pieces. Nothing of ${whole} is written; the next run ` +
        `tries it again, and fails the same way while more than about ${stop} entries share one ` +
        "second. Check the API base address (Domo's is https://api.domo.com): a proxy or gateway " +
        'in front of Domo may cap how deep it pages.',
    );
    this.name = 'PagesStoppedError';
  }
}
