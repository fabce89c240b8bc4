import {
  type AuditClient,
  type AuditClientSettings,
  type AuditClientWaits,
  createAuditClient,
} from '../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { type Clock, noMetrics, type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { realClientWaits, systemClock } from '../../functions/core/runtime.ts';
import type { Simulator } from '../../functions/simulator/index.ts';
import { Prng } from '../../functions/simulator/prng.ts';
import { noWaits } from './no-waits.ts';

export interface SimulatorClientOptions {
  /** Seed of the backoff jitter, so a run retries the same way every time. */
  seed: number;
  /** Hand the client the simulator's own fetch instead of a socket. */
  inProcess?: boolean;
  /** Anything else the test needs set (a shared clock, the token refresh margin). */
  client?: Partial<AuditClientSettings & AuditClientWaits>;
}

/**
 * The real audit client on a simulator that fails often on purpose: short real backoff, no pacing
 * down (one request in six fails; slowing down would only make the test slow), reproducible jitter.
 */
export function simulatorClient(sim: Simulator, options: SimulatorClientOptions): AuditClient {
  const prng = new Prng(options.seed);
  return createAuditClient({
    apiBase: sim.url,
    fetch: options.inProcess ? sim.fetch : globalThis.fetch,
    credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxRetryAfterMs: 5,
    maxAttempts: 12,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    minRequestsPerSecond: 10_000,
    ...realClientWaits,
    random: () => prng.next(),
    ...options.client,
  });
}

/**
 * One ingest of `range` from the simulator in process into `store`, with the default settings but
 * what `config` changes: the run the lake-from-simulator tests check.
 */
export const ingestFromSimulator = (
  sim: Simulator,
  store: ObjectStore,
  range: { fromMs: number; toMs: number },
  { clock = systemClock, config = {} }: { clock?: Clock; config?: Partial<IngestConfig> } = {},
) =>
  runIngest(
    {
      ...noWaits,
      source: simulatorClient(sim, { seed: 1, inProcess: true }),
      store,
      clock,
      log: silentLog,
      metrics: noMetrics,
    },
    { ...defaultIngestConfig('default'), ...config },
    { range },
  );
