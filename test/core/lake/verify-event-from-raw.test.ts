/**
 * Plain verify checks each event against its `raw` entry (review R-AUDIT H1): a row padded in with
 * a made-up id, one whose raw entry was rewritten under its id, or one whose columns were rewritten
 * under its raw entry, fails the check though the hour's manifest was fixed to count it.
 */
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { contentHashOf } from '../../../functions/core/lake/content-hash.ts';
import { readCoverage, writeCoverage } from '../../../functions/core/lake/coverage.ts';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour3 = day0 + 3 * HOUR_MS;

async function lakeWithHour3(rewrite: (records: EventRecord[]) => EventRecord[]) {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  await runIngest(quietIngestDeps(source, store, day0 + 6 * HOUR_MS + 30 * 60_000), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  const key = activityKey('acme', hour3);
  const records = rewrite(decodeNdjsonGzip(store.objects.get(key)?.body as Uint8Array) as EventRecord[]);
  store.putNow(key, encodeNdjsonGzip(records));
  // The forger fixes the manifest to count the rows and hash their ids, as pad.py did.
  const manifest = await readCoverage(store, 'acme', hour3);
  if (manifest)
    await writeCoverage(store, 'acme', {
      ...manifest,
      event_count: records.length,
      content_hash: contentHashOf(records.map((r) => r.event_id)),
    });
  return store;
}

describe('verify, of events whose id is not the hash of their raw entry', () => {
  it('fails on a row padded in with a made-up id', async () => {
    const fabricated = sha256Hex(new TextEncoder().encode('fabricated'));
    const store = await lakeWithHour3((records) => [
      ...records,
      {
        ...(records[0] as EventRecord),
        event_id: fabricated,
        action_type: 'EXPORTED',
        user_name: 'Scapegoat',
      },
    ]);
    const report = await verifyLake(store, 'acme');
    expect(report.manifestMismatches).toEqual([]);
    expect(report.rowsNotFromRaw).toEqual({
      count: 1,
      listed: [{ windowStartMs: hour3, eventId: fabricated, what: 'id' }],
    });
    expect(report.ok).toBe(false);
    expect(describeReport(report, '/lake')).toContain(
      `1 event(s) that disagree with their raw entry (the id is not its sha256, or a column is not what it holds)`,
    );
  });

  it('fails on a row whose raw entry was rewritten under its id, and passes the lake as ingested', async () => {
    expect((await verifyLake(await lakeWithHour3((records) => records), 'acme')).ok).toBe(true);
    const store = await lakeWithHour3(([first, ...rest]) => [
      { ...(first as EventRecord), raw: (first as EventRecord).raw.replace('}', ',"forged":1}') },
      ...rest,
    ]);
    const report = await verifyLake(store, 'acme');
    expect(report.rowsNotFromRaw?.listed.map((r) => r.what)).toEqual(['id']);
    expect(report.ok).toBe(false);
  });

  it('fails on a row whose columns were rewritten under its raw entry and id', async () => {
    const store = await lakeWithHour3(([first, ...rest]) => [
      { ...(first as EventRecord), action_type: 'EXPORTED', user_name: 'Scapegoat' },
      ...rest,
    ]);
    const report = await verifyLake(store, 'acme');
    expect(report.rowsNotFromRaw?.listed.map((r) => r.what)).toEqual(['action_type']);
    expect(report.ok).toBe(false);
    expect(describeReport(report, '/lake')).toContain('(action_type not as in raw)');
  });
});
