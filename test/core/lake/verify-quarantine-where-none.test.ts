import { describe, expect, it } from 'vitest';
import { describeReport } from '../../../functions/cli/verify-report-text.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { at, countedCalls, dayLake, dayNow } from '../../support/verify-day-lake.ts';

// Review verify5 #3: a quarantine object is read only when its hour's manifest counts quarantined
// entries, so one planted in a covered hour whose manifest counts none passed plain verify while
// queries of the quarantine table read it, and the docs said it was checked against the count.
// The listing verify makes anyway finds such a key; the object is then read (only for those
// hours: an honest pull that took every entry of an hour out of quarantine leaves an empty one),
// and entries there are a mismatch.

const now = dayNow;

describe('verify: a quarantine object beside a manifest counting none', () => {
  it('is a mismatch when it holds entries, and passes when empty', async () => {
    const store = await dayLake();
    const clean = countedCalls(store);
    expect(await verifyLake(clean.store, 'acme', undefined, { nowMs: now })).toMatchObject({ ok: true });
    // A planted object of two entries (any records: the count is what is checked).
    const body = encodeNdjsonGzip([{ a: 1 }, { a: 2 }]);
    store.putNow(quarantineKey('acme', at(5)), body);
    const report = await verifyLake(store, 'acme', undefined, { nowMs: now });
    expect(report).toMatchObject({
      ok: false,
      gaps: [],
      manifestMismatches: [
        { windowStartMs: at(5), detail: 'manifest counts 0 quarantined, the quarantine object holds 2' },
      ],
    });
    expect(describeReport(report, 'memory')).toContain(
      '  mismatch at 2026-10-01 05:00Z: manifest counts 0 quarantined, the quarantine object holds 2\n',
    );
    // With a range too.
    const ranged = await verifyLake(store, 'acme', { fromMs: at(4), toMs: at(6) }, { nowMs: now });
    expect(ranged.ok).toBe(false);

    // What a pull that took every entry of the hour out of quarantine leaves: an empty object.
    store.putNow(quarantineKey('acme', at(5)), encodeNdjsonGzip([]));
    const emptied = countedCalls(store);
    expect(await verifyLake(emptied.store, 'acme', undefined, { nowMs: now })).toMatchObject({
      ok: true,
      manifestMismatches: [],
    });
    // One GET more, of that object only (no run records read for it).
    expect(emptied.gets()).toBe(clean.gets() + 1);
  });

  it('leaves out an hour whose events grew past its manifest (a later pull interrupted)', async () => {
    const store = await dayLake();
    // A later pull of hour 5 found one entry more: its events merged, its manifest not written yet.
    const grown = await dayLake();
    const source = new MemoryAuditSource([viewEntry(at(5) + 600_000, 5), viewEntry(at(5) + 900_000, 99)]);
    await runIngest(quietIngestDeps(source, grown, now + 60_000), defaultIngestConfig('acme'), {
      range: { fromMs: at(5), toMs: at(6) },
    });
    store.putNow(
      activityKey('acme', at(5)),
      grown.objects.get(activityKey('acme', at(5)))?.body as Uint8Array,
    );
    store.putNow(quarantineKey('acme', at(5)), encodeNdjsonGzip([{ a: 1 }]));
    const report = await verifyLake(store, 'acme', undefined, { nowMs: now + 60 * 60_000 });
    expect(report.grownPastManifest).toHaveLength(1);
    expect(report.manifestMismatches).toEqual([]);
  });
});
