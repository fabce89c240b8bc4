/**
 * A listing (of a sweep's keys, or of the digests the opening walks back over) stopped for want of
 * time, after `listed` keys.
 */
export class ListingOutOfTime extends Error {
  constructor(readonly listed: number) {
    super(`the listing stopped for want of time after ${listed} keys`);
    this.name = 'ListingOutOfTime';
  }
}
