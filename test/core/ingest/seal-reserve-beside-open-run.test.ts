/**
 * A run with a short deadline of its own and no margin (`ingest --max-duration 5s`) beside a run
 * still open in the chain: before its seal it reads that run's hours again, and it came to that
 * re-read with no time left (it pulled hours to the very end), so it left the chain unsealed and
 * ended `failed`. It now keeps the re-read's time once its opening has read those hours: it stops
 * earlier, seals, and ends `partial` (the next run continues).
 */
import { describe, expect, it } from 'vitest';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeAfterDeadRepull as deadRepullLake } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(12) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

const lakeAfterDeadRepull = (domo: MemoryAuditSource) => deadRepullLake(domo, config, now, hour(2));

/** A source each page of which takes `pageMs` of the run's time (a clock the test moves). */
class SlowSource implements AuditSource {
  spentMs = 0;
  constructor(
    private readonly inner: AuditSource,
    private readonly pageMs: number,
  ) {}

  async fetchPage(query: AuditQuery) {
    this.spentMs += this.pageMs;
    return this.inner.fetchPage(query);
  }
}

describe('a run with a short deadline and no margin beside a run open in the chain', () => {
  it('keeps time for the re-read before its seal: seals, and stops early without failing', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 72 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = await lakeAfterDeadRepull(domo);
    const source = new SlowSource(domo, 300);
    const deadlineMs = 2_000;

    const summary = await runIngest(
      { ...quietIngestDeps(source, lake, now), remainingTimeMs: () => deadlineMs - source.spentMs },
      { ...config, budgetMarginMs: 0 },
      {
        runId: 'short-repull',
        range: { fromMs: hour(3), toMs: hour(11) },
        spanSizing: { targetEvents: 1, maxHours: 1 },
      },
    );

    expect(summary.failures).toEqual([]);
    expect(summary).toMatchObject({ outcome: 'partial', stoppedEarly: 'time-budget' });
    expect(summary.windowsDone).toBeGreaterThan(0);
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.unsealedHead).toBeNull();
    expect(report.problems).toEqual([]);
  });
});
