import { describe, expect, it } from 'vitest';
import { compileCategoryRules } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { SIX_HOUR_LAKE_START, sixHourLake } from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;

describe('verify --integrity, of a forged version a run read and then wrote over', () => {
  it('still reports it changed once the object holds the run’s bytes', async () => {
    const store = await sixHourLake();
    // Changed outside the ingest: a later hour than the first one enrich rewrites, so the version
    // enrich reads there is listed only as the one its write replaced.
    const hour3 = activityKey('acme', day0 + 3 * HOUR_MS);
    const records = decodeNdjsonGzip(store.objects.get(hour3)?.body as Uint8Array) as EventRecord[];
    const forged = encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: 'Mallory' } : r)));
    store.putNow(hour3, forged);
    expect((await verifyIntegrity(store, 'acme')).problems.map((p) => p.kind)).toEqual(['changed']);

    const summary = await enrichLake(
      { store, geo: { version: 'geo@1', lookup: () => undefined } },
      {
        instance: 'acme',
        fromMs: day0,
        toMs: day0 + 6 * HOUR_MS,
        categorize: compileCategoryRules([{ category: 'login', actionType: '.' }]),
        nowIso: '2026-10-01T07:00:00.000Z',
      },
    );
    expect(summary.hoursRewritten).toBeGreaterThan(1);
    expect(sha256Hex(store.objects.get(hour3)?.body as Uint8Array)).not.toBe(sha256Hex(forged));

    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'changed', key: hour3, sha256: sha256Hex(forged) }),
    ]);
    expect(report.problems[0]?.detail).toMatch(/first recorded as the version run enrich-\S+ replaced/);
  });
});
