import { describe, expect, it } from 'vitest';
import { ENTRY_LIMITS } from '../../../functions/core/domo/canonical-json.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 3 * HOUR_MS + 30 * 60_000;

const read = async <T>(store: MemoryObjectStore, key: string): Promise<T[]> =>
  decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array()) as T[];

describe('an entry too deep or too large for canonical JSON (issue 10, item 1)', () => {
  it('is quarantined with its reason while the rest of its hour is written', async () => {
    const deep = JSON.parse(`{"time":${day0 + 1000},"x":${'['.repeat(4000)}${']'.repeat(4000)}}`);
    const huge = { time: day0 + 2000, userName: 'x'.repeat(ENTRY_LIMITS.maxLength) };
    const source = new MemoryAuditSource([
      viewEntry(day0 + 10, 1),
      { timeMs: day0 + 1000, entry: deep },
      { timeMs: day0 + 2000, entry: huge },
      viewEntry(day0 + 3000, 2),
      viewEntry(day0 + HOUR_MS + 10, 3),
    ]);
    const store = new MemoryObjectStore();
    const summary = await runIngest(
      { ...noWaits, source, store, clock: { now: () => now }, log: silentLog, metrics: { count: () => {} } },
      { ...defaultIngestConfig('acme'), backfillDays: 1 },
    );
    expect(summary.failures).toEqual([]);
    expect(summary.eventsWritten).toBe(3);
    expect(summary.quarantined).toBe(2);
    const events = await read<EventRecord>(store, activityKey('acme', day0));
    expect(events.map((e) => e.event_time_ms)).toEqual([day0 + 10, day0 + 3000]);
    const quarantined = await read<QuarantineRecord>(store, quarantineKey('acme', day0));
    expect(quarantined.map((q) => q.reason).sort()).toEqual([
      `entry is longer than ${ENTRY_LIMITS.maxLength} characters as canonical JSON`,
      `entry is nested more than ${ENTRY_LIMITS.maxDepth} levels deep`,
    ]);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(day0 + 3 * HOUR_MS);
  });
});
