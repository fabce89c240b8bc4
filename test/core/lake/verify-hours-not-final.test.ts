/**
 * verify tells covered hours a scheduled run still pulls again (late events may still change them)
 * from final ones, by the checkpoint's later-pull fields, the definition the ingest pulls by: not
 * by a manifest's fetch_count (an hour read once, a day after it ended, is final).
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readStoredCoverage } from '../../../functions/core/lake/coverage.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { noWaits } from '../../support/no-waits.ts';
import { VersionedMemoryStore } from '../../support/versioned-memory-store.ts';

const DAY0 = Date.parse('2026-10-01T00:00:00Z');
const config = (): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  repullAfterHours: 24,
});

function lake() {
  const source = new MemoryAuditSource(
    Array.from({ length: 80 }, (_, i) => viewEntry(DAY0 + i * HOUR_MS + 60_000, i)),
  );
  const store = new VersionedMemoryStore();
  let clock = 0;
  const deps: IngestDeps = {
    ...noWaits,
    source,
    store,
    clock: { now: () => clock },
    log: silentLog,
    metrics: { count() {} },
  };
  return {
    store,
    runAt: async (nowMs: number) => {
      clock = nowMs;
      await runIngest(deps, config());
    },
  };
}

describe('verify: hours not yet final', () => {
  it('names the hours a first run read less than a day after they ended, without failing', async () => {
    const { store, runAt } = lake();
    await runAt(DAY0 + 48 * HOUR_MS + 30 * 60_000);
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(true);
    expect(report.windowsCovered).toBe(24);
    expect(report.notFinal).toEqual({
      hourCount: 24,
      fromMs: DAY0 + 24 * HOUR_MS,
      toMs: DAY0 + 48 * HOUR_MS,
      finalAfterMs: DAY0 + 72 * HOUR_MS,
    });
  });

  it('takes hours as final once their later pull is done, or read a day after they ended', async () => {
    const { store, runAt } = lake();
    await runAt(DAY0 + 48 * HOUR_MS + 30 * 60_000);
    await runAt(DAY0 + 73 * HOUR_MS + 30 * 60_000);
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(true);
    // 24..48 got their later pull; 48 was first read 24.5 h after it ended: final with fetch_count 1.
    expect((await readStoredCoverage(store, 'acme', DAY0 + 48 * HOUR_MS))?.manifest.fetch_count).toBe(1);
    expect(report.notFinal).toEqual({
      hourCount: 24,
      fromMs: DAY0 + 49 * HOUR_MS,
      toMs: DAY0 + 73 * HOUR_MS,
      finalAfterMs: DAY0 + 97 * HOUR_MS,
    });
  });

  it("keeps hours the checkpoint names due (a later pull that failed), as read by verify's caller", async () => {
    const { store, runAt } = lake();
    await runAt(DAY0 + 48 * HOUR_MS + 30 * 60_000);
    await runAt(DAY0 + 73 * HOUR_MS + 30 * 60_000);
    // The command reads the checkpoint once, to clip the range, and passes its marks on.
    const report = await verifyLake(store, 'acme', undefined, {
      watermarkMs: DAY0 + 73 * HOUR_MS,
      heldFromMs: null,
      repull: { repull_from_ms: DAY0 + 30 * HOUR_MS },
    });
    expect(report.notFinal).toMatchObject({ hourCount: 43, fromMs: DAY0 + 30 * HOUR_MS });
  });

  it('says nothing of a lake no scheduled run keeps (no checkpoint)', async () => {
    const { store, runAt } = lake();
    await runAt(DAY0 + 48 * HOUR_MS + 30 * 60_000);
    store.delete(checkpointKey('acme'));
    const report = await verifyLake(store, 'acme');
    expect(report.notFinal).toBeUndefined();
  });
});
