import { describe, expect, it } from 'vitest';
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
});
