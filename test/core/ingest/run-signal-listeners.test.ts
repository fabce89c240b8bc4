/**
 * Every span of a run waits on the run's abort signal, in its token request, its pacer or retry
 * waits and its requests. Sixteen spans (the largest concurrency) all waiting for one token
 * request put sixteen listeners on one signal, and Node printed "MaxListenersExceededWarning:
 * Possible EventTarget memory leak detected" in a healthy run: each span now waits on a signal of
 * its own that follows the run's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { realClientWaits } from '../../../functions/core/runtime.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const FROM = Date.parse('2026-11-01T00:00:00Z');
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.name);

afterEach(() => {
  process.off('warning', onWarning);
});

/** Domo answering a token after a few milliseconds (so every span joins the first request) and empty hours. */
const slowTokenDomo = async (url: string | URL): Promise<Response> => {
  if (String(url).includes('/oauth/token')) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return Response.json({ access_token: 'tok', token_type: 'bearer', expires_in: 3600 });
  }
  return Response.json([]);
};

describe("the run's abort signal", () => {
  it('takes sixteen spans waiting for one token request without a leak warning', async () => {
    process.on('warning', onWarning);
    const source = createAuditClient({
      apiBase: 'https://domo.example',
      fetch: slowTokenDomo,
      credentials: { clientId: 'c', clientSecret: 's' },
      ...realClientWaits,
      requestsPerSecond: Number.POSITIVE_INFINITY,
    });
    const store = new MemoryObjectStore();
    const range = { fromMs: FROM, toMs: FROM + 64 * HOUR_MS };
    const now = () => range.toMs + 2 * HOUR_MS;
    const summary = await runIngest(
      { ...noWaits, source, store, clock: { now }, log: silentLog, metrics: noMetrics },
      { ...defaultIngestConfig('acme'), concurrency: 16 },
      { range },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(summary.failures).toEqual([]);
    expect(summary.windowsDone).toBe(64);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
