import { createAdaptivePacer } from '../../../../functions/core/domo/adaptive-pacer.ts';
import {
  type AuditClientOptions,
  type AuditClientSettings,
  createAuditClient,
} from '../../../../functions/core/domo/audit-client.ts';
import type { Sleep } from '../../../../functions/core/ports.ts';
import { fakeTime } from './fake-time.ts';

/** Virtual time: `sleep` waits for the scheduler, which jumps to the next timer once all else is idle. */
export function virtualTime() {
  let now = 0;
  let seq = 0;
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  const sleep: Sleep = (ms, signal) => {
    signal?.throwIfAborted();
    return new Promise<void>((resolve) => timers.push({ at: now + Math.max(0, ms), seq: seq++, resolve }));
  };
  const idle = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await idle();
      if (done) break;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      if (!next) throw new Error('nothing left to run: deadlock');
      now = Math.max(now, next.at);
      next.resolve();
    }
    return work;
  }
  return { clock: { now: () => now }, sleep, run };
}

export type VirtualTime = ReturnType<typeof virtualTime>;

/** An audit client on virtual time against `fetch`. */
export function virtualClient(
  time: VirtualTime,
  fetch: AuditClientOptions['fetch'],
  overrides: Partial<AuditClientSettings>,
) {
  return createAuditClient({
    apiBase: 'https://domo.test',
    credentials: { clientId: 'c', clientSecret: 's' },
    fetch,
    clock: time.clock,
    sleep: time.sleep,
    pacingClock: time.clock,
    random: () => 0.5,
    ...overrides,
  });
}

/** Fetches `pages` pages with `workers` workers (four by default, as the ingest's concurrency). */
export async function fetchPages(
  client: ReturnType<typeof createAuditClient>,
  pages: number,
  workers = 4,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < pages) {
      const offset = next++;
      await client.fetchPage({ start: 0, end: 1, limit: 1000, offset });
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/**
 * A pacer (ceiling 10 req/s) on a clock that only the test moves, whose best latency is 40 ms from
 * eight answers over a second (the last at 1 s); `answer(ms)` records one sent `ms` before now and
 * answered now.
 */
export function pacerWithBestOf40() {
  const time = fakeTime({ start: 0, sleepMovesClock: false });
  const pacer = createAdaptivePacer({ ...time, maxRequestsPerSecond: 10 });
  for (let i = 0; i < 8; i++) {
    pacer.record({ status: 200, sentAt: time.clock.now() - 40, latencyMs: 40 });
    time.advance(1000 / 7);
  }
  const answer = (ms: number) => pacer.record({ status: 200, sentAt: time.clock.now() - ms, latencyMs: ms });
  return { time, pacer, answer };
}
