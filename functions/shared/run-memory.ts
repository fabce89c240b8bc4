import { getHeapStatistics } from 'node:v8';

const MIB = 1024 * 1024;

/**
 * The memory this process may use, in bytes: the Lambda function's memory size where Lambda set
 * it, else the V8 heap limit (on a workstation, about a quarter of its memory unless
 * `--max-old-space-size` says otherwise). What a run sizes its per-range holding from.
 */
export function runMemoryBytes(
  env: Record<string, string | undefined> = process.env,
  heapLimitBytes: () => number = () => getHeapStatistics().heap_size_limit,
): number {
  const lambdaMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return Number.isInteger(lambdaMb) && lambdaMb > 0 ? lambdaMb * MIB : heapLimitBytes();
}

/** The peak resident memory of this process so far, in bytes (Node reports it in KiB). */
export const peakMemoryBytes = (): number => process.resourceUsage().maxRSS * 1024;
