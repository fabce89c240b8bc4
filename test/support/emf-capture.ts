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

/** The data points of one EMF line, each with every dimension CloudWatch files it under. */
function pointsOf(line: EmfLine): EmfPoint[] {
  return line._aws.CloudWatchMetrics.flatMap((directive) => {
    const names = directive.Dimensions.flat();
    return directive.Metrics.map((metric) => ({
      namespace: directive.Namespace,
      name: metric.Name,
      value: Number(line[metric.Name]),
      dimensions: Object.fromEntries(names.map((n) => [n, String(line[n])])),
    }));
  });
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
      points.push(...pointsOf(single.serializeMetrics() as unknown as EmfLine));
      return single;
    });
    return single;
  });
  return { points, restore: () => spy.mockRestore() };
}

/**
 * Records what the shared Powertools metrics flush at the end of an invocation (the `logMetrics`
 * middleware), serialized by Powertools with its default dimensions; the flush itself still runs,
 * so nothing stays stored for the next invocation. Call `restore` when done.
 */
export function captureFlushedMetrics(): { points: EmfPoint[]; restore: () => void } {
  const points: EmfPoint[] = [];
  const original = metrics.publishStoredMetrics.bind(metrics);
  const spy = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    if (metrics.hasStoredMetrics())
      points.push(...pointsOf(metrics.serializeMetrics() as unknown as EmfLine));
    return original();
  });
  return { points, restore: () => spy.mockRestore() };
}
