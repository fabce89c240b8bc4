import {
  type AuditClient,
  type AuditClientOptions,
  createAuditClient,
} from '../../functions/core/domo/audit-client.ts';
import type { Simulator } from '../../functions/simulator/index.ts';
import { Prng } from '../../functions/simulator/prng.ts';

export interface SimulatorClientOptions {
  /** Seed of the backoff jitter, so a run retries the same way every time. */
  seed: number;
  /** Hand the client the simulator's own fetch instead of a socket. */
  inProcess?: boolean;
  /** Anything else the test needs set (a shared clock, the token refresh margin). */
  client?: Partial<AuditClientOptions>;
}

/**
 * The real audit client on a simulator that fails often on purpose: short real backoff, no pacing
 * down (one request in six fails; slowing down would only make the test slow), reproducible jitter.
 */
export function simulatorClient(sim: Simulator, options: SimulatorClientOptions): AuditClient {
  const prng = new Prng(options.seed);
  return createAuditClient({
    apiBase: sim.url,
    ...(options.inProcess ? { fetch: sim.fetch } : {}),
    credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxRetryAfterMs: 5,
    maxAttempts: 12,
    requestsPerSecond: Number.POSITIVE_INFINITY,
    minRequestsPerSecond: 10_000,
    random: () => prng.next(),
    ...options.client,
  });
}
