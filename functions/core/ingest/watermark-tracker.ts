import { HOUR_MS } from '../lake/layout.ts';

/**
 * Where the watermark may be: every hour before it is complete. Hours finish in any order (several
 * are pulled at once), so an hour finished ahead of a gap is remembered until the gap closes; the
 * watermark then moves over the whole unbroken run at once.
 */
export class WatermarkTracker {
  /** Hours at or after the watermark that finished out of order, waiting for the gap below them. */
  private readonly finishedAhead = new Set<number>();
  private watermark: number | null;

  /** @param watermarkMs the watermark the run starts from; null tracks nothing (range mode). */
  constructor(watermarkMs: number | null) {
    this.watermark = watermarkMs;
  }

  get currentMs(): number | null {
    return this.watermark;
  }

  /** Records that the hour starting at `windowStartMs` is complete; returns the new watermark when it moved. */
  complete(windowStartMs: number): number | undefined {
    if (this.watermark === null || windowStartMs < this.watermark) return undefined;
    this.finishedAhead.add(windowStartMs);
    const before = this.watermark;
    while (this.finishedAhead.delete(this.watermark)) this.watermark += HOUR_MS;
    return this.watermark === before ? undefined : this.watermark;
  }
}
