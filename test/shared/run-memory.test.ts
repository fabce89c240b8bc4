import { describe, expect, it } from 'vitest';
import { peakMemoryBytes, runMemoryBytes } from '../../functions/shared/run-memory.ts';

describe('run memory', () => {
  it("is the Lambda function's memory where Lambda set it, else the heap limit", () => {
    expect(runMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' }, () => 1)).toBe(512 * 2 ** 20);
    expect(runMemoryBytes({}, () => 7)).toBe(7);
    expect(runMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'x' }, () => 7)).toBe(7);
  });

  it('peaks in bytes at no less than what the process holds now', () => {
    // maxRSS is in KiB: read as bytes it would be a thousand times too small.
    expect(peakMemoryBytes()).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.9);
  });
});
