import { beforeAll, describe, expect, it } from 'vitest';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { type VerifyProgress, VerifyReads } from '../../../functions/core/lake/verify-progress.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import { hourlyRunsLake } from '../../support/hourly-runs-lake.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { VirtualLatencyStore } from '../../support/virtual-latency-store.ts';

let lake: MemoryObjectStore;
beforeAll(async () => {
  lake = await hourlyRunsLake(48);
});

const noted = () => {
  const seen: VerifyProgress[] = [];
  return { seen, reads: new VerifyReads((progress) => seen.push(progress)) };
};

/**
 * GETs before the reads are counted: the checkpoint's (its watermark and, without a range, its
 * `plan_from_ms`, read once) and, without a range, the genesis digest's (its `from_ms`), the two
 * that say where the lake began, and digest 1's, which names the genesis (review STATUS7).
 */
const UNCOUNTED = 3;

/** Reads only grow, never past what is expected; the last one counts every GET but {@link UNCOUNTED}. */
function expectCountedAll(seen: readonly VerifyProgress[], gets: number): void {
  for (const [i, progress] of seen.entries()) {
    expect(progress.read).toBeGreaterThanOrEqual(seen[i - 1]?.read ?? 0);
    expect(progress.read).toBeLessThanOrEqual(progress.expected);
  }
  expect(seen.at(-1)).toEqual({ read: gets - UNCOUNTED, expected: gets - UNCOUNTED });
}

describe('verify counts its reads for a progress line', () => {
  it('every GET of the hours, with the total known before the first', async () => {
    const store = new VirtualLatencyStore(lake, 30);
    const { seen, reads } = noted();
    await verifyLake(store, 'acme', undefined, { reads });
    expectCountedAll(seen, store.gets);
    expect(seen[0]).toEqual({ read: 0, expected: store.gets - UNCOUNTED });
  });

  it('with --integrity, the digests and the objects read again too', async () => {
    const store = new VirtualLatencyStore(lake, 30);
    const { seen, reads } = noted();
    const report = await verifyWithIntegrity(store, 'acme', undefined, { reads });
    expect(report.integrity?.digests).toBeGreaterThan(48);
    expectCountedAll(seen, store.gets);
  });
});
