import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { contentHashOf } from '../../../functions/core/lake/content-hash.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, checkpointKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Each test breaks one promise of the lake and checks that verify says so and fails: a check
// that found the problem but still passed would let `verify` exit 0 on a broken lake.
const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 24 * HOUR_MS + 1_800_000;

/** A day of one event per hour, pulled the way the schedule does (so the checkpoint is set). */
async function oneDayLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(
    Array.from({ length: 24 }, (_, h) => viewEntry(day0 + h * HOUR_MS + 600_000, h)),
  );
  const deps = quietIngestDeps(source, store, now);
  const summary = await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
  expect(summary.failures).toEqual([]);
  expect(await verifyLake(store, 'acme')).toMatchObject({ ok: true, events: 24 });
  return store;
}

const hourKey = (hour: number) => activityKey('acme', day0 + hour * HOUR_MS);
const recordsOf = (store: MemoryObjectStore, hour: number) =>
  decodeNdjsonGzip(store.objects.get(hourKey(hour))?.body as Uint8Array) as EventRecord[];
const rewrite = (store: MemoryObjectStore, hour: number, records: EventRecord[]) =>
  store.putNow(hourKey(hour), encodeNdjsonGzip(records));

describe('verifyLake fails on each broken promise', () => {
  it('a record outside its hour, or pulled in another window, is misplaced even when counts and ids agree', async () => {
    const store = await oneDayLake();
    const [first] = recordsOf(store, 3) as [EventRecord];
    // Exactly at the hour's end: the next hour's event.
    rewrite(store, 3, [{ ...first, event_time_ms: day0 + 4 * HOUR_MS }]);
    const [other] = recordsOf(store, 5) as [EventRecord];
    rewrite(store, 5, [{ ...other, window_start_ms: day0 + 6 * HOUR_MS }]);
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ ok: false, misplacedRecords: 2, manifestMismatches: [] });
  });

  it('an event swapped for another, the count unchanged, is a content hash mismatch', async () => {
    const store = await oneDayLake();
    const [first] = recordsOf(store, 7) as [EventRecord];
    rewrite(store, 7, [{ ...first, event_id: 'f'.repeat(64) }]);
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.manifestMismatches).toEqual([
      { windowStartMs: day0 + 7 * HOUR_MS, detail: expect.stringContaining('content hash differs') },
    ]);
  });

  it('an id stored twice in one hour is a duplicate within the hour', async () => {
    const store = await oneDayLake();
    const [first] = recordsOf(store, 9) as [EventRecord];
    rewrite(store, 9, [first, first]);
    const report = await verifyLake(store, 'acme');
    expect(report).toMatchObject({ ok: false, duplicateIds: 1, duplicateIdsAcrossHours: 0 });
  });

  it('the newest hours losing their manifests below the watermark are gaps, not the end of the lake', async () => {
    const store = await oneDayLake();
    for (const hour of [21, 22, 23]) store.objects.delete(coverageKey('acme', day0 + hour * HOUR_MS));
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.gaps).toEqual([{ fromMs: day0 + 21 * HOUR_MS, toMs: day0 + 24 * HOUR_MS }]);
    expect(report.uncoveredBelowWatermark).toBe(3);
  });

  it('an hour that failed at the watermark, a later one stored, is a gap the next ingest fills', async () => {
    const store = await oneDayLake();
    // 22:00 failed (no manifest) and 23:00 was stored: the watermark stays at 22:00.
    const watermarkMs = day0 + 22 * HOUR_MS;
    store.objects.delete(coverageKey('acme', watermarkMs));
    store.objects.delete(checkpointKey('acme'));
    await advanceCheckpoint(store, 'acme', { watermarkMs, runId: 'r', codeVersion: 't', now });
    const report = await verifyLake(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.gaps).toEqual([{ fromMs: watermarkMs, toMs: watermarkMs + HOUR_MS }]);
    expect(report.uncoveredBelowWatermark).toBe(0);
    const message = describeReport(report, 'memory');
    expect(message).toContain('1 hour(s) at or after the watermark are not covered');
    expect(message).toContain('the next ingest without --from/--to pulls every hour from the watermark on');
    expect(message).not.toContain('below the watermark are not covered');
  });
});

describe('contentHashOf', () => {
  it('keeps the hash every manifest already written holds: sorted ids, each ended by a newline', () => {
    // sha256 of "a\nb\n": a change here would make every stored manifest disagree with its hour.
    expect(contentHashOf(['b', 'a'])).toBe(
      '911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2',
    );
  });

  it('hashes what an update per id and per newline hashed, for no ids and for any text', () => {
    const perId = (ids: string[]): string => {
      const hash = createHash('sha256');
      for (const id of [...ids].sort()) hash.update(id).update('\n');
      return hash.digest('hex');
    };
    const cases = [
      [],
      [''],
      ['a'],
      ['ab12-2', 'ab12', 'ab12-10', '\u00e9t\u00e9', '\ud83d\ude00', '\ud83d', '\ude00', 'a\nb'],
      Array.from({ length: 5_000 }, (_, i) => `${(i * 7919).toString(16)}-${i % 3}`),
    ];
    for (const ids of cases) expect(contentHashOf(ids), JSON.stringify(ids.slice(0, 8))).toBe(perId(ids));
    expect(contentHashOf(new Set(['b', 'a']))).toBe(perId(['a', 'b']));
  });
});
