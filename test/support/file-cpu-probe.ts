import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * Where the suite's time goes, file by file: loaded as a setup file only when VITEST_FILE_CPU_LOG
 * names a file (vitest.config.ts), it appends one tab-separated line per test file to it:
 *
 *   worker pid, file, wall s, worker CPU s, children CPU s, gap s, start µs, end µs, gap CPU s
 *
 * from the file's first hook to its last. Worker CPU is user + system of the whole worker process,
 * DuckDB's threads included. Children are the processes it started and waited for (the CLI,
 * Chromium, npm, esbuild), from /proc/self/stat (empty elsewhere than on Linux); tmux's panes are
 * not among them (their server leaves the worker's process tree). The gap is the worker's wall time
 * since its previous file ended: this file's import and collection, and gap CPU the worker's CPU
 * in it. Work a file does while it is collected (a fixture built at its top level or in a
 * `describe` body) is counted there, not in its worker CPU: a file of 200,000 alerts made at its
 * top level showed 0.16 CPU-s and a 2.35 s gap. Wall well above CPU means waiting, or, with both
 * workers busy, another process holding the core. For example:
 *
 *   VITEST_FILE_CPU_LOG=/tmp/files.tsv npx vitest run && sort -t$'\t' -k4 -gr /tmp/files.tsv | head
 *
 * Start and end are the monotonic clock's microseconds, the clock of the samples of a V8 CPU
 * profile: with the workers profiled, test/support/profile-by-file.mjs cuts each worker's profile
 * into its files, to say what a file's wall time was spent on (its code, the collector, or waiting:
 * on DuckDB's or libuv's threads, a child, a timer).
 */
const log = process.env.VITEST_FILE_CPU_LOG;

/** CPU seconds of the children waited for (cutime + cstime, in USER_HZ ticks, 100 a second on Linux). */
function childrenCpuS(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

const cpuS = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** The monotonic clock in microseconds, as a CPU profile's `startTime` and sample times are. */
const monotonicUs = () => process.hrtime.bigint() / 1000n;

/**
 * When the worker's previous file ended. On globalThis: Vitest evaluates a setup file again for
 * every test file, even in a worker that is not isolated.
 */
const worker = globalThis as { fileCpuProbePreviousEnd?: number; fileCpuProbePreviousEndCpu?: number };

if (log) {
  let start = 0;
  let startUs = 0n;
  let cpu = 0;
  let children: number | undefined;
  beforeAll(() => {
    start = performance.now();
    startUs = monotonicUs();
    cpu = cpuS();
    children = childrenCpuS();
  });
  afterAll(() => {
    const end = performance.now();
    const childrenNow = childrenCpuS();
    const fields = [
      process.pid,
      relative(process.cwd(), expect.getState().testPath ?? ''),
      ((end - start) / 1000).toFixed(2),
      (cpuS() - cpu).toFixed(2),
      children === undefined || childrenNow === undefined ? '' : (childrenNow - children).toFixed(2),
      worker.fileCpuProbePreviousEnd === undefined
        ? ''
        : ((start - worker.fileCpuProbePreviousEnd) / 1000).toFixed(2),
      startUs,
      monotonicUs(),
      worker.fileCpuProbePreviousEndCpu === undefined
        ? ''
        : (cpu - worker.fileCpuProbePreviousEndCpu).toFixed(2),
    ];
    worker.fileCpuProbePreviousEnd = end;
    // Read after the line is made, so the next file's gap does not count this file's own log line.
    worker.fileCpuProbePreviousEndCpu = cpuS();
    appendFileSync(log, `${fields.join('\t')}\n`);
  });
}
