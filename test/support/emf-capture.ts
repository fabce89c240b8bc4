import { vi } from 'vitest';
import { metrics } from '../../functions/shared/powertools.ts';

/** One data point as CloudWatch reads it from the EMF line: namespace, name, value and every dimension. */
export interface EmfPoint {
  namespace: string;
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/**
 * Records what the handlers publish through Powertools' single metrics, serialized by Powertools
 * itself (so its default `service` dimension is there), instead of printing it. Alarms match only
 * the exact dimension set of such a line. Call `restore` when done.
 */
export function captureSingleMetrics(): { points: EmfPoint[]; restore: () => void } {
  const points: EmfPoint[] = [];
  const original = metrics.singleMetric.bind(metrics);
  const spy = vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    const single = original();
    vi.spyOn(single, 'publishStoredMetrics').mockImplementation(() => {
      const line = single.serializeMetrics() as unknown as EmfLine;
      for (const directive of line._aws.CloudWatchMetrics) {
        const names = directive.Dimensions.flat();
        for (const metric of directive.Metrics) {
          points.push({
            namespace: directive.Namespace,
            name: metric.Name,
            value: Number(line[metric.Name]),
            dimensions: Object.fromEntries(names.map((n) => [n, String(line[n])])),
          });
        }
      }
      return single;
    });
    return single;
  });
  return { points, restore: () => spy.mockRestore() };
}
