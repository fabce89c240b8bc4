/**
 * The Domo simulator in a process of its own (forked by the bench), so the CLI's CPU and memory
 * figures hold only the CLI. Configured by one JSON argument; talks to the parent over IPC:
 * it sends `{ url, events }` once listening, answers `'stats'` with the simulator's counters and
 * stops on `'close'`.
 */
import { writeFile } from 'node:fs/promises';
import {
  type FaultOptions,
  groundTruthToNdjson,
  NO_FAULTS,
  startSimulator,
} from '../functions/simulator/index.ts';
import { type WorkloadSpec, workloadEvents } from './workload.ts';

export interface SimProcessConfig {
  workload: WorkloadSpec;
  /** Delay of every audit answer. */
  latencyMs: number;
  /** Requests per second the server allows (429 above); undefined: no limit. */
  rateLimitPerSecond?: number;
  /** Where to write the ground truth (NDJSON), for the lost/duplicated check. */
  groundTruthFile?: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as SimProcessConfig;
// Whether this simulator can hold clients to a request rate (a fault option, when it has one).
const canThrottle = 'rateLimitPerSecond' in NO_FAULTS;
const faults: Partial<FaultOptions> = {
  ...(config.latencyMs > 0 ? { rateSlow: 1, slowMs: config.latencyMs } : {}),
  ...(config.rateLimitPerSecond && canThrottle ? { rateLimitPerSecond: config.rateLimitPerSecond } : {}),
};
const events = workloadEvents(config.workload);
const sim = await startSimulator({
  events,
  seed: config.workload.seed,
  faults,
  // Fixed dates: keep them servable however old they get.
  retentionDays: 100_000,
});
if (config.groundTruthFile) await writeFile(config.groundTruthFile, groundTruthToNdjson(sim.groundTruth()));
process.send?.({
  url: sim.url,
  events: events.length,
  throttled: canThrottle && !!config.rateLimitPerSecond,
});
process.on('message', async (message) => {
  if (message === 'stats') process.send?.({ stats: sim.stats() });
  if (message === 'close') {
    await sim.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
