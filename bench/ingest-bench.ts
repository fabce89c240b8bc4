import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FsObjectStore } from '../functions/adapters/fs-store.ts';
import { createAuditClient } from '../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../functions/core/ingest/run-ingest.ts';
import { DAY_MS, floorHour } from '../functions/core/lake/layout.ts';
import { noMetrics, silentLog, systemClock } from '../functions/core/ports.ts';

export interface IngestFigures {
  /** The lake written, kept for the query and report benchmarks; the caller removes it. */
  lakeDir: string;
  days: number;
  hours: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  peakHeapMiB: number;
  requests: number;
}

/** Backfills `days` of a simulated instance (served from a worker thread) into a temp lake on disk. */
export async function benchIngest(days: number, users: number): Promise<IngestFigures> {
  const toMs = floorHour(Date.now());
  const worker = new Worker(new URL('./simulator-worker-boot.mjs', import.meta.url), {
    workerData: { fromMs: toMs - days * DAY_MS, toMs, users, seed: 42 },
  });
  const { url } = await new Promise<{ url: string; entries: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  global.gc?.();
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const source = createAuditClient({
      apiBase: url,
      credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
      requestsPerSecond: Number.POSITIVE_INFINITY,
    });
    const started = performance.now();
    const summary = await runIngest(
      { source, store: new FsObjectStore(dir), clock: systemClock, log: silentLog, metrics: noMetrics },
      { ...defaultIngestConfig('default'), backfillDays: days, settleMinutes: 0 },
    );
    const seconds = (performance.now() - started) / 1000;
    if (summary.failures.length > 0) throw new Error(`bench ingest failed: ${summary.failures[0]?.message}`);
    return {
      lakeDir: dir,
      days,
      hours: summary.windowsDone,
      events: summary.eventsWritten,
      seconds,
      eventsPerSecond: summary.eventsWritten / seconds,
      peakHeapMiB: peak / 2 ** 20,
      requests: summary.requests,
    };
  } finally {
    clearInterval(sampler);
    worker.postMessage('close');
  }
}
