import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { planRun, WatermarkAheadError } from '../../../functions/core/ingest/run-plan.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const now = Date.parse('2026-10-01T10:00:00Z');

async function storeWith(watermarkMs: number): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  await advanceCheckpoint(store, 'acme', { watermarkMs, runId: 'r', codeVersion: 'test', now: watermarkMs });
  return store;
}

describe('a watermark ahead of the clock', () => {
  it('is tolerated up to an hour past now (a clock a little behind the writer), refused beyond', async () => {
    const config = defaultIngestConfig('acme');
    // Exactly the hour's tolerance ahead still runs (and pulls nothing new); one more hour does not.
    const within = await planRun(await storeWith(now + HOUR_MS), config, undefined, now);
    expect(within.watermarkMs).toBe(now + HOUR_MS);
    await expect(planRun(await storeWith(now + 2 * HOUR_MS), config, undefined, now)).rejects.toThrow(
      WatermarkAheadError,
    );
  });
});
