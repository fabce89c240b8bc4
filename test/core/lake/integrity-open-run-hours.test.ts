import { describe, expect, it } from 'vitest';
import { compileCategoryRules } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;

/**
 * A lake ingested whole, then a run that pulls from `fromHour` on, writes its first hour and dies
 * (its opening digest, unsealed, is its last). Then an hour is forged, and enrich reads it.
 */
async function forgedWhileARunWasOpen(fromHour: number, forgedHour: number) {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  await runIngest(
    { source, store, clock: { now: () => now }, log: silentLog, metrics: { count() {} } },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
  const dying = new DigestRecorder(store, { instance: 'acme', runId: 'dead-run', clock: { now: () => now } });
  dying.begin(day0 + fromHour * HOUR_MS);
  const itsHour = activityKey('acme', day0 + fromHour * HOUR_MS);
  const found = await dying.get(itsHour);
  await dying.put(itsHour, found?.body as Uint8Array, { ifMatch: found?.etag as string });

  const forged = activityKey('acme', day0 + forgedHour * HOUR_MS);
  const records = decodeNdjsonGzip(store.objects.get(forged)?.body as Uint8Array) as EventRecord[];
  store.putNow(
    forged,
    encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: 'Mallory' } : r))),
  );
  await enrichLake(
    { store, geo: { version: 'geo@1', lookup: () => undefined } },
    {
      instance: 'acme',
      fromMs: day0,
      toMs: day0 + 6 * HOUR_MS,
      categorize: compileCategoryRules([{ category: 'login', actionType: '.' }]),
      nowIso: '2026-10-01T07:00:00.000Z',
    },
  );
  return { report: await verifyIntegrity(store, 'acme'), forged };
}

describe('verify --integrity, of a version first seen while a run that never sealed was open', () => {
  it('names that run when the hour is one it pulled', async () => {
    const { report, forged } = await forgedWhileARunWasOpen(2, 4);
    expect(report.problems).toEqual([]);
    expect(report.recordedOnRead).toEqual([expect.objectContaining({ key: forged, runs: ['dead-run'] })]);
  });

  it('reports it changed when the hour is before the first one that run pulled', async () => {
    const { report, forged } = await forgedWhileARunWasOpen(4, 2);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${forged}`]);
    expect(report.recordedOnRead).toEqual([]);
  });
});
