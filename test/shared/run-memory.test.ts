import { describe, expect, it } from 'vitest';
import {
  heapHoldBytes,
  peakMemoryBytes,
  processHeapFacts,
  runMemoryBytes,
} from '../../functions/shared/run-memory.ts';

const MIB = 2 ** 20;

/**
 * V8's heap_size_limit as measured (performance.md, "The heap a bound may count on"), x86-64 with
 * 24 GB: the old space's limit and the young generation's reserve, three semi-spaces.
 */
const MEASURED = {
  node20: { none: 4_345_298_944, old40: 92_274_688, old200: 260_046_848, semi25: 4_395_630_592 },
  node24: { none: 4_496_293_888, old40: 243_269_632, old200: 411_041_792, semi25: 4_395_630_592 },
};

describe('the heap a run may hold live data in', () => {
  it('is the old space an option sized, the same on Node 20 and Node 24', () => {
    for (const node of [MEASURED.node20, MEASURED.node24]) {
      expect(heapHoldBytes({ heapSizeLimit: node.old40, options: ['--max-old-space-size=40'] })).toBe(
        40 * MIB,
      );
      expect(heapHoldBytes({ heapSizeLimit: node.old200, options: ['--max_old_space_size=200'] })).toBe(
        200 * MIB,
      );
    }
  });

  it("is not V8's heap limit, whose young reserve Node 24 sizes from the machine", () => {
    // Node 24's heap limit at --max-old-space-size=40 is six times the old space.
    expect(MEASURED.node24.old40).toBeGreaterThan(5 * 40 * MIB);
    expect(
      heapHoldBytes({ heapSizeLimit: MEASURED.node24.old40, options: ['--max-old-space-size=40'] }),
    ).toBe(40 * MIB);
  });

  it("takes the option that wins: the command line's over NODE_OPTIONS's, the later of two", () => {
    const facts = processHeapFacts({ NODE_OPTIONS: ' --max-old-space-size=100  --inspect=0' }, [
      '--max-old-space-size=40',
    ]);
    expect(facts.options).toEqual(['--max-old-space-size=100', '--inspect=0', '--max-old-space-size=40']);
    expect(heapHoldBytes({ heapSizeLimit: MEASURED.node20.old40, options: facts.options })).toBe(40 * MIB);
    expect(processHeapFacts({}, []).heapSizeLimit).toBeGreaterThan(0);
  });

  it('is the heap limit less the young reserve a semi-space option sets, rounded up as V8 does', () => {
    // 25 MiB semi-spaces are 32 MiB ones: 96 MiB of young reserve on either Node.
    for (const node of [MEASURED.node20, MEASURED.node24]) {
      expect(heapHoldBytes({ heapSizeLimit: node.semi25, options: ['--max-semi-space-size=25'] })).toBe(
        4_096 * MIB,
      );
    }
  });

  it("with no option, is the heap limit less V8's largest default young reserve, 192 MiB", () => {
    // Node 24's default: exactly its old space. Node 20's young reserve is 48 MiB: 144 MiB to spare.
    expect(heapHoldBytes({ heapSizeLimit: MEASURED.node24.none, options: [] })).toBe(4_096 * MIB);
    expect(heapHoldBytes({ heapSizeLimit: MEASURED.node20.none, options: ['--inspect'] })).toBe(3_952 * MIB);
    // A small default heap loses no more than a quarter to it.
    expect(heapHoldBytes({ heapSizeLimit: 400 * MIB, options: [] })).toBe(300 * MIB);
  });

  it('does not believe an old space larger than the whole heap, nor an option of no size', () => {
    const heapSizeLimit = MEASURED.node20.old40;
    expect(heapHoldBytes({ heapSizeLimit, options: ['--max-old-space-size=4000'] })).toBe(
      heapSizeLimit * 0.75,
    );
    expect(heapHoldBytes({ heapSizeLimit, options: ['--max-old-space-size=0'] })).toBe(heapSizeLimit * 0.75);
    expect(heapHoldBytes({ heapSizeLimit, options: ['--max-semi-space-size=64'] })).toBe(heapSizeLimit / 4);
  });
});

describe('run memory', () => {
  it("is the Lambda function's memory where Lambda set it, else the heap it may hold", () => {
    expect(runMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' }, () => 1)).toBe(512 * 2 ** 20);
    expect(runMemoryBytes({}, () => 7)).toBe(7);
    expect(runMemoryBytes({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'x' }, () => 7)).toBe(7);
    // By default the old space, read with the options the environment names.
    expect(runMemoryBytes({ NODE_OPTIONS: '--max-old-space-size=1' })).toBe(MIB);
  });

  it('peaks in bytes at no less than what the process holds now', () => {
    // maxRSS is in KiB: read as bytes it would be a thousand times too small.
    expect(peakMemoryBytes()).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.9);
  });
});
