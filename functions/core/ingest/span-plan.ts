import { HOUR_MS } from '../time-units.ts';

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
 * Events all spans in flight hold together: each held event costs several KB (parsed entry, its
 * text, its record, its line) until its hour is stored, so the run's memory follows this, not the
 * concurrency (5,000 per span at concurrency 8 took a 1M-event ingest from ~300 to ~630 MB). Spans
 * are sized for it, and the event budget (event-budget.ts) holds them to it when single hours are busier.
 */
export const EVENTS_IN_FLIGHT = 16_000;

/** Span sizing for `concurrency` spans at once: their events together stay near EVENTS_IN_FLIGHT. */
export const spanSizingFor = (concurrency: number): SpanSizing => ({
  targetEvents: Math.max(1_000, Math.floor(EVENTS_IN_FLIGHT / Math.max(1, concurrency))),
  maxHours: DEFAULT_SPAN_SIZING.maxHours,
});

/**
 * Pages a span may take before it is split: twice its target, so a span is only split when its
 * hours are much busier than the span before suggested (the pages read are then read again).
 */
export const spanPageBudget = (sizing: SpanSizing, pageSize: number): number =>
  Math.max(2, Math.ceil((2 * sizing.targetEvents) / pageSize));

/** Per span observed, how much of the busiest hour seen so far is still assumed. */
const PEAK_DECAY = 0.9;

/**
 * Groups the hours of a run into spans: quiet hours are fetched together, so a week of sparse
 * hours costs a few requests instead of two per hour. A span holds as many hours as fit
 * `targetEvents` at the busiest hour seen so far (decaying by 10 % per span, so one burst does not
 * shrink spans for the rest of a long backfill): activity follows the time of day, and a span sized
 * from a quiet night would run into the next day's busy hours, prove full and be read again. It
 * is at most twice the longest span finished so far and one hour while nothing is known. Spans are
 * drawn lazily, so each is sized from what the run has seen by then.
 */
export class SpanPlanner {
  private peakPerHour: number | undefined;
  /** Hours of the longest span finished so far: the next may be at most twice as long. */
  private longestHours = 1;
  /** Set once a span's times proved to be zone-less strings: only one-hour requests place those. */
  private hourByHour = false;

  constructor(
    private readonly sizing: SpanSizing = DEFAULT_SPAN_SIZING,
    /** Events per hour known before the run (e.g. from the hour before the plan); undefined: none. */
    initialPeakPerHour?: number,
  ) {
    this.peakPerHour = initialPeakPerHour;
    if (initialPeakPerHour !== undefined) this.longestHours = sizing.maxHours;
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

  /**
   * Entries `span` is expected to hold: its hours at the busiest hour seen so far, or the span
   * target while nothing is known.
   */
  expectedEvents(span: Span): number {
    return spanHours(span) * (this.peakPerHour ?? this.sizing.targetEvents);
  }

  /** Entries the busiest hour seen so far held (decayed as for sizing); undefined while nothing is known. */
  expectedPerHour(): number | undefined {
    return this.peakPerHour;
  }

  /**
   * Learns from a finished span: the entries of its busiest hour, and whether its times were strings
   * without a zone (fetchSpan reads a span of those hour by hour: planning more would only cost the
   * span's own requests on top).
   */
  observe(span: Span, busiestHourEntries: number, zoneless = false): void {
    this.peakPerHour = Math.max((this.peakPerHour ?? 0) * PEAK_DECAY, busiestHourEntries);
    this.longestHours = Math.max(this.longestHours, spanHours(span));
    this.hourByHour ||= zoneless;
  }

  private nextHours(): number {
    if (this.peakPerHour === undefined || this.hourByHour) return 1;
    const fits = Math.floor(this.sizing.targetEvents / Math.max(1, this.peakPerHour));
    return Math.max(1, Math.min(fits, 2 * this.longestHours, this.sizing.maxHours));
  }
}
