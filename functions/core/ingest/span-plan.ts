import { HOUR_MS } from '../lake/layout.ts';

/** Whole UTC hours `[startMs, endMs)` read from Domo with one paging sequence. */
export interface Span {
  startMs: number;
  /** Exclusive. */
  endMs: number;
}

export const spanHours = (span: Span): number => (span.endMs - span.startMs) / HOUR_MS;

export interface SpanSizing {
  /**
   * Events a span aims to hold. A span's entries are held in memory until its hours are stored, so
   * this bounds the memory of each window in flight as much as it saves requests: 5,000 is five
   * pages, where the request saved by a span (its last, short page) is already below 10 %.
   */
  targetEvents: number;
  /** Most hours in one span: a failed span fails all of its hours. */
  maxHours: number;
}

export const DEFAULT_SPAN_SIZING: SpanSizing = { targetEvents: 5_000, maxHours: 24 };

/**
 * Pages a span may take before it is split: twice its target, so a span is only split when its
 * hours are much busier than the span before suggested (the pages read are then read again).
 */
export const spanPageBudget = (sizing: SpanSizing, pageSize: number): number =>
  Math.max(2, Math.ceil((2 * sizing.targetEvents) / pageSize));

/**
 * Groups the hours of a run into spans: quiet hours are fetched together, so a week of sparse
 * hours costs a few requests instead of two per hour. The size of the next span follows the density
 * (events per hour) of the span that finished last: as many hours as hold about `targetEvents`,
 * at most twice the hours of the longest span so far (busy hours may follow quiet ones) and one hour
 * while nothing is known. Spans are drawn lazily, so each is sized from what the run has seen so far.
 */
export class SpanPlanner {
  private eventsPerHour: number | undefined;
  /** Hours of the longest span finished so far: the next may be at most twice as long. */
  private longestHours = 1;

  constructor(
    private readonly sizing: SpanSizing = DEFAULT_SPAN_SIZING,
    /** Events per hour known before the run (e.g. from the hour before the plan); undefined: none. */
    initialEventsPerHour?: number,
  ) {
    this.eventsPerHour = initialEventsPerHour;
    if (initialEventsPerHour !== undefined) this.longestHours = sizing.maxHours;
  }

  /** Spans covering `[firstMs, endMs)` hour by hour, sized when drawn. */
  *spans(firstMs: number, endMs: number): Generator<Span> {
    let start = firstMs;
    while (start + HOUR_MS <= endMs) {
      const hours = Math.min(this.nextHours(), Math.floor((endMs - start) / HOUR_MS));
      const span = { startMs: start, endMs: start + hours * HOUR_MS };
      start = span.endMs;
      yield span;
    }
  }

  /** Learns the density of a finished span from the entries it held. */
  observe(span: Span, entries: number): void {
    this.eventsPerHour = entries / spanHours(span);
    this.longestHours = Math.max(this.longestHours, spanHours(span));
  }

  private nextHours(): number {
    if (this.eventsPerHour === undefined) return 1;
    const fits = Math.floor(this.sizing.targetEvents / Math.max(1, this.eventsPerHour));
    return Math.max(1, Math.min(fits, 2 * this.longestHours, this.sizing.maxHours));
  }
}
