import type { IngestConfig } from '../../functions/core/ingest/ingest-types.ts';
import type { Clock } from '../../functions/core/ports.ts';
import { type SimulatorOptions, startSimulator } from '../../functions/simulator/index.ts';
import { type Comparison, compareWithGroundTruth, readLake } from './lake-contents.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { ingestFromSimulator } from './simulator-client.ts';

/**
 * One {@link ingestFromSimulator} of `range` on a simulator started with `options` on `clock`
 * (closed after), into a memory lake: the run's summary, the lake against the simulator's ground
 * truth over `compared` (the range unless given), and the simulator's request figures.
 */
export async function ingestSimulated(
  options: Omit<SimulatorOptions, 'clock'>,
  range: { fromMs: number; toMs: number },
  {
    clock,
    config = {},
    compared = range,
  }: { clock: Clock; config?: Partial<IngestConfig>; compared?: { fromMs: number; toMs: number } },
) {
  const sim = await startSimulator({ ...options, clock: () => clock.now() });
  try {
    const store = new MemoryObjectStore();
    const summary = await ingestFromSimulator(sim, store, range, { clock, config });
    const lake: Comparison = compareWithGroundTruth(
      await readLake(store, 'default'),
      sim.groundTruth(),
      compared.fromMs,
      compared.toMs,
    );
    return { summary, lake, stats: sim.stats() };
  } finally {
    await sim.close();
  }
}
