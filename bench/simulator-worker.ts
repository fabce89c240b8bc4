import { parentPort, workerData } from 'node:worker_threads';
import { generateInstance, startSimulator } from '../functions/simulator/index.ts';

// The simulator runs in its own thread so the ingest's heap figures do not include its events.
const { fromMs, toMs, users, seed } = workerData as {
  fromMs: number;
  toMs: number;
  users: number;
  seed: number;
};
const instance = generateInstance({ seed, fromMs, toMs, users });
const sim = await startSimulator({ events: instance.events, seed });
parentPort?.postMessage({ url: sim.url, entries: sim.groundTruth().length });
parentPort?.on('message', async (message) => {
  if (message === 'close') {
    await sim.close();
    process.exit(0);
  }
});
