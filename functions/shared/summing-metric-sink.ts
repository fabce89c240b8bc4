import type { MetricSink } from '../core/ports.ts';

/** The slice of Powertools `Metrics` the sink publishes to. */
interface MetricPublisher {
  addMetric(name: string, unit: 'Count', value: number): unknown;
}

/**
 * Collects the core's counters and publishes one value per metric name: the core counts per
 * window and per request, and one data point per run keeps EMF lines small and alarms simple.
 */
export class SummingMetricSink implements MetricSink {
  private readonly totals = new Map<string, number>();

  /** `skipZero`: metrics whose 0 totals are not published (see USUALLY_ZERO_INGEST_METRICS). */
  constructor(private readonly skipZero: ReadonlySet<string> = new Set()) {}

  count(name: string, value: number): void {
    this.totals.set(name, (this.totals.get(name) ?? 0) + value);
  }

  /** The totals so far, by metric name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  /**
   * Adds every total (but the 0 of a `skipZero` metric) to `publisher` and forgets them, so a
   * second call publishes nothing twice.
   */
  publishTo(publisher: MetricPublisher): void {
    for (const [name, value] of this.totals) {
      if (value !== 0 || !this.skipZero.has(name)) publisher.addMetric(name, 'Count', value);
    }
    this.totals.clear();
  }
}
