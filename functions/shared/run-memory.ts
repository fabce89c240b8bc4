import { getHeapStatistics } from 'node:v8';

const MIB = 1024 * 1024;

/** What {@link heapHoldBytes} reads of this process. */
export interface HeapFacts {
  /** V8's `heap_size_limit`: the old generation's limit and the young generation's reserve. */
  heapSizeLimit: number;
  /** The options node started with: NODE_OPTIONS's, then the command line's (the later wins). */
  options: readonly string[];
}

const OLD_SPACE_FLAG = /^--max[-_]old[-_]space[-_]size=(\d+)$/;
const SEMI_SPACE_FLAG = /^--max[-_]semi[-_]space[-_]size=(\d+)$/;

/**
 * The young generation's reserve when no option sized it: three semi-spaces (the two a scavenge
 * copies between and as much again for young large objects) of 64 MiB, the most V8 gives them by
 * default (Node 24 on a machine of 16 GB or more; Node 20: 16 MiB), never more than a quarter of
 * the heap (V8 sizes the young generation far below the old one).
 */
const DEFAULT_YOUNG_RESERVE_BYTES = 3 * 64 * MIB;

/** The value (MiB) of the last of `options` that `flag` matches, if any is a whole number above 0. */
function lastMib(options: readonly string[], flag: RegExp): number | undefined {
  let mib: number | undefined;
  for (const option of options) {
    const value = Number(flag.exec(option)?.[1]);
    if (value > 0) mib = value;
  }
  return mib;
}

/** The smallest power of two no less than `mib` (V8 rounds a semi-space's size up so). */
const powerOfTwoAtLeast = (mib: number): number => 2 ** Math.ceil(Math.log2(mib));

/**
 * The heap this process may hold live data in, in bytes: V8's old generation, where what a run
 * keeps ends up, and whose limit is where V8 dies of "JavaScript heap out of memory". Not
 * `heap_size_limit`, which adds the young generation's reserve, space for short-lived objects that
 * nothing held can use: Node 24 sizes that from the machine, not from `--max-old-space-size`, so
 * at `--max-old-space-size=40` its heap_size_limit is ~243 MB where Node 20's is ~92 MB
 * (performance.md). The old space's size where an option set it; else the heap limit less the
 * young generation's reserve (three semi-spaces of the option's size, rounded up to a power of two
 * as V8 does, or of V8's largest default).
 */
export function heapHoldBytes(facts: HeapFacts = processHeapFacts()): number {
  const { heapSizeLimit, options } = facts;
  const oldMib = lastMib(options, OLD_SPACE_FLAG);
  if (oldMib !== undefined && oldMib * MIB <= heapSizeLimit) return oldMib * MIB;
  const semiMib = lastMib(options, SEMI_SPACE_FLAG);
  const young =
    semiMib === undefined
      ? Math.min(DEFAULT_YOUNG_RESERVE_BYTES, heapSizeLimit / 4)
      : 3 * powerOfTwoAtLeast(semiMib) * MIB;
  return Math.max(heapSizeLimit / 4, heapSizeLimit - young);
}

/** This process's heap limit and options. */
export function processHeapFacts(
  env: Record<string, string | undefined> = process.env,
  execArgv: readonly string[] = process.execArgv,
): HeapFacts {
  const fromEnv = (env.NODE_OPTIONS ?? '').split(/\s+/).filter((option) => option !== '');
  return { heapSizeLimit: getHeapStatistics().heap_size_limit, options: [...fromEnv, ...execArgv] };
}

/**
 * The memory this process may use, in bytes: the Lambda function's memory size where Lambda set
 * it (what the function is stopped at; the runtime gives the old space nine tenths of it), else
 * the heap it may hold live data in ({@link heapHoldBytes}: on a workstation, about a quarter of
 * its memory unless `--max-old-space-size` says otherwise). What a run sizes its per-range holding
 * from.
 */
export function runMemoryBytes(
  env: Record<string, string | undefined> = process.env,
  heapLimitBytes: () => number = () => heapHoldBytes(processHeapFacts(env)),
): number {
  const lambdaMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return Number.isInteger(lambdaMb) && lambdaMb > 0 ? lambdaMb * MIB : heapLimitBytes();
}

/** The peak resident memory of this process so far, in bytes (Node reports it in KiB). */
export const peakMemoryBytes = (): number => process.resourceUsage().maxRSS * 1024;
