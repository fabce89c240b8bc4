import { describe, expect, it } from 'vitest';
import { INGEST_METRICS, USUALLY_ZERO_INGEST_METRICS } from '../../functions/core/ingest/ingest-metrics.ts';
import { SummingMetricSink } from '../../functions/shared/summing-metric-sink.ts';

describe('SummingMetricSink', () => {
  it('publishes one total per metric name, once', () => {
    const sink = new SummingMetricSink();
    sink.count('EventsWritten', 3);
    sink.count('WindowsCompleted', 1);
    sink.count('EventsWritten', 4);
    expect(sink.snapshot()).toEqual({ EventsWritten: 7, WindowsCompleted: 1 });

    const published: [string, string, number][] = [];
    const publisher = {
      addMetric: (name: string, unit: 'Count', value: number) => published.push([name, unit, value]),
    };
    sink.publishTo(publisher);
    sink.publishTo(publisher);
    expect(published).toEqual([
      ['EventsWritten', 'Count', 7],
      ['WindowsCompleted', 'Count', 1],
    ]);
  });

  it('leaves out the 0 totals of the counters that are usually 0, and publishes their other totals', () => {
    const sink = new SummingMetricSink(USUALLY_ZERO_INGEST_METRICS);
    sink.count(INGEST_METRICS.eventsWritten, 0);
    sink.count(INGEST_METRICS.laterPullsGivenUp, 0);
    sink.count(INGEST_METRICS.outOfWindow, 0);
    sink.count(INGEST_METRICS.lateEvents, 0);
    sink.count(INGEST_METRICS.quarantined, 2);
    const published: string[] = [];
    sink.publishTo({
      addMetric: (name: string, _unit: 'Count', value: number) => published.push(`${name}=${value}`),
    });
    // EventsWritten's 0 stays: the Quarantine alarm's share and the dashboard read it every run.
    expect(published).toEqual(['EventsWritten=0', 'Quarantined=2']);
  });
});
