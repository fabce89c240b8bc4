import { setFlagsFromString } from 'node:v8';

/**
 * How far the heap may grow past what the last full garbage collection kept, in percent, while the
 * CLI ingests. V8's own factor adapts up to 4x when the heap limit is large (a workstation's is
 * several GB): an ingest whose live data is 25-90 MB ran with 250-300 MB of heap, most of it
 * garbage waiting for the next full collection, and the process's peak memory followed that, not
 * the data. At 20 % the heap stays near its live data for a few % more CPU (more frequent full
 * collections of a small heap). It is not a limit: the heap still grows as far as live data needs,
 * so a very busy hour cannot run out of memory because of it. Lambda needs none of this: its
 * runtime caps the heap from the function's memory size, and V8 then grows it by less.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets V8's heap growing factor for this process (read at every full collection, so it applies
 * from the next one), unless the command line already chose one.
 */
export function boundHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): void {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return;
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
