import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAlertsHandler } from '../../functions/alerts/handler.ts';
import { ingestEnvironment } from '../../functions/ingest/config.ts';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { metrics } from '../../functions/shared/powertools.ts';
import { acmeAlertsEnv } from '../alerts/support/alerts-env.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';

/** The dimensions, with their values, that the handlers' next metric would be published with. */
function dimensionsOfNextMetric(): Record<string, unknown> {
  metrics.addMetric('Probe', 'Count', 1);
  const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
    _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] };
  };
  metrics.clearMetrics();
  const names = emf._aws.CloudWatchMetrics[0]?.Dimensions[0] ?? [];
  return Object.fromEntries(names.map((name) => [name, emf[name]]));
}

afterEach(() => {
  vi.restoreAllMocks();
});

// test/setup.ts gives each test the metrics of a new Lambda process (test/support/
// fresh-handler-metrics.ts): the two tests below run in this order, in one worker.
describe('the handlers’ shared metrics, test after test', () => {
  it('carry what the handler built in a test set: its stack and instance', () => {
    createIngestHandler({ env: ingestEnvironment({ ...SAMPLE_INGEST_HANDLER_CONFIG, stack: 'LakeA' }) });
    expect(dimensionsOfNextMetric()).toEqual({
      service: 'domo-activity-lake',
      stack: 'LakeA',
      instance: 'acme',
    });
  });

  it('start the next test afresh: its handler sets its stack without a warning, and nothing of the one before', () => {
    const warn = vi.spyOn(console, 'warn');
    createAlertsHandler({ env: acmeAlertsEnv() });
    expect(warn).not.toHaveBeenCalled();
    // The alerts publish each instance's metrics with their own `instance` (a single metric).
    expect(dimensionsOfNextMetric()).toEqual({ service: 'domo-activity-lake', stack: 'DomoActivityLake' });
  });
});
