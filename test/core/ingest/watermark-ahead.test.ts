import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { planRun, WatermarkAheadError } from '../../../functions/core/ingest/run-plan.ts';
import { advanceCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { at, hour, hourly, config as lookbackConfig, sixAnHour } from '../../support/lookback-day.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

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

  it('leaves the checkpoint as it was: no hour to retry named for hours the run never planned', async () => {
    // The watermark is 06:00; the run at 05:30 has 04:00 as its last closed hour (tolerated skew).
    const store = await storeWith(hour(6));
    const before = await readCheckpoint(store, 'acme');
    await runIngest(
      quietIngestDeps(new MemoryAuditSource(sixAnHour(10)), store, at(5)),
      lookbackConfig,
      hourly,
    );
    const after = await readCheckpoint(store, 'acme');
    expect(after?.checkpoint.retry_from_ms).toBeUndefined();
    expect(after?.checkpoint.watermark_ms).toBe(hour(6));
    expect(after?.etag).toBe(before?.etag);
  });
});
