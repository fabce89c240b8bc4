import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestProgress } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = fromMs + 24 * HOUR_MS;

describe('the progress an ingest reports', () => {
  it('says where the unbroken stretch of stored hours ends, which only moves forward', async () => {
    const entries = Array.from({ length: 24 * 2 }, (_, i) =>
      viewEntry(fromMs + Math.floor(i / 2) * HOUR_MS + (i % 2) * 600_000, i),
    );
    const memory = new MemoryAuditSource(entries);
    // Every third hour answers late: with four hours in flight, later hours finish before it.
    const source = {
      fetchPage: async (query: AuditQuery) => {
        if (Math.floor((query.start - fromMs) / HOUR_MS) % 3 === 0)
          await new Promise((r) => setTimeout(r, 15));
        return memory.fetchPage(query);
      },
    };
    const store = new MemoryObjectStore();
    const seen: { progress: IngestProgress; covered: number[] }[] = [];
    const summary = await runIngest(
      {
        ...noWaits,
        source,
        store,
        clock: { now: () => toMs + HOUR_MS },
        log: silentLog,
        metrics: { count() {} },
        onProgress: (progress) => {
          const covered: number[] = [];
          for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
            if (store.objects.has(coverageKey('main', hour))) covered.push(hour);
          }
          seen.push({ progress, covered });
        },
      },
      { ...defaultIngestConfig('main'), concurrency: 4 },
      { range: { fromMs, toMs }, spanSizing: { targetEvents: 1, maxHours: 1 } },
    );
    expect(summary.windowsDone).toBe(24);
    const reported = seen.map(({ progress }) => progress.storedBeforeMs);
    // Hours did finish out of order: the hour last stored was at times behind an earlier one.
    const lastStored = seen.map(({ covered }, i) =>
      Math.max(...covered.filter((hour) => !seen[i - 1]?.covered.includes(hour))),
    );
    expect(lastStored.some((hour, i) => hour < (lastStored[i - 1] ?? 0))).toBe(true);
    // Yet the position reported never went back, and every hour before it was stored each time.
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
    for (const { progress, covered } of seen) {
      for (let hour = fromMs; hour < progress.storedBeforeMs; hour += HOUR_MS)
        expect(covered).toContain(hour);
      expect(covered).not.toContain(progress.storedBeforeMs);
    }
    expect(reported.at(-1)).toBe(toMs);
  });
});
