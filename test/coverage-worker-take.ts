import v8 from '@vitest/coverage-v8';
import type { WorkerGlobalState } from 'vitest';
import type { CoverageProviderModule } from 'vitest/node';

type TakeOptions = Parameters<NonNullable<CoverageProviderModule['takeCoverage']>>[0];

/** What a worker has run since its last take, and how to map its scripts back when it takes. */
interface Pending {
  files: string[];
  options: TakeOptions;
  sendsAtStop: boolean;
}

/**
 * Kept on the global object, not in this module: a test file that resets the module cache (the
 * ingest handler test) may evaluate this module again in the same worker.
 */
const PENDING = Symbol.for('domo-activity-lake.coverage-pending');
type WithPending = typeof globalThis & { [PENDING]?: Pending };

const pending = (): Pending => {
  const scope = globalThis as WithPending;
  scope[PENDING] ??= { files: [], options: undefined, sendsAtStop: false };
  return scope[PENDING];
};

/** Vitest's state of this worker (`__vitest_worker__`, what its own `getWorkerState()` reads). */
const workerState = (): WorkerGlobalState =>
  (globalThis as typeof globalThis & { __vitest_worker__: WorkerGlobalState }).__vitest_worker__;

/** Takes the counts of every file run since the last take and hands them to the main process. */
async function sendTake(): Promise<void> {
  const { files, options } = pending();
  if (files.length === 0) return;
  pending().files = [];
  const coverage = await v8.takeCoverage?.(options);
  const state = workerState();
  // An event, not a call: the main process answers no call from a worker it is stopping, so
  // awaiting the answer would hold the stop until its 60 s timeout. The message goes out before
  // the worker's "stopped", on the same channel.
  await state.rpc.onAfterSuiteRun.asEvent({
    coverage,
    testFiles: files.sort(),
    environment: state.environment.viteEnvironment ?? state.environment.name,
    projectName: state.ctx.projectName,
  });
}

/**
 * The worker's side of the coverage provider: one take when the worker stops, instead of one after
 * every test file. Why: each take serialises the counters of every script the worker has loaded
 * (~1,000 scripts, node_modules included, which are then dropped), ~20-35 ms of the worker and as
 * much again in the main process to write, read and merge it, ~380 times a run. V8's precise
 * coverage counts on from one take to the next (each take reads and resets the counters), so one
 * take at the end holds the sum of every file's counts: the merged report is the same.
 *
 * Vitest asks for a take after each file (`onAfterRunFiles`) and sends none when the module returns
 * nothing; the worker is told it is done only by the pool's stop request, whose teardown runs the
 * worker's cleanup listeners with the RPC channel still open. The main process waits for that stop
 * before it reads the takes (coverage-batch-merge.ts).
 */
export async function takeAtStop(options: TakeOptions): Promise<undefined> {
  const state = workerState();
  const current = pending();
  current.options = options;
  if (state.filepath) current.files.push(state.filepath);
  if (!current.sendsAtStop) {
    current.sendsAtStop = true;
    state.onCleanup(sendTake);
  }
  return undefined;
}
