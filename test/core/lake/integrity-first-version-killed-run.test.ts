import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { killedAfterPut, rewriteAsFirstVersion } from '../../support/first-version-chain.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

/** A re-pull of 03:00 killed right after its write of the hour landed, before any digest lists it. */
async function killedRePull(domo: MemoryAuditSource, lake: MemoryObjectStore): Promise<void> {
  await runIngest(quietIngestDeps(domo, killedAfterPut(lake, activityKey('acme', hour(3))), now), config, {
    runId: 'killed',
    range: { fromMs: hour(3), toMs: hour(4) },
  }).catch(() => undefined);
}

describe('verify --integrity over a chain of the first digest version', () => {
  it('reports what a killed run of that version wrote as unvouched (a finding to check), not as changed', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
    domo.add(viewEntry(hour(3) + 7 * 60_000 + 3, 503));
    await killedRePull(domo, lake);
    // The next run re-pulls the hour: it reads (and writes over) the killed run's version.
    domo.add(viewEntry(hour(3) + 8 * 60_000 + 3, 504));
    await runIngest(quietIngestDeps(domo, lake, now), config, {
      runId: 'next',
      range: { fromMs: hour(3), toMs: hour(4) },
    });
    await rewriteAsFirstVersion(lake, 'acme');

    const report = await verifyIntegrity(lake, 'acme');
    // That version listed no write before making it: nothing vouches for the bytes the killed
    // run may have left, and a forgery in its hours would look the same.
    expect(report.recordedOnRead).toEqual([]);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'unvouched',
        key: activityKey('acme', hour(3)),
        detail: expect.stringMatching(/run next .*run killed, open then and never sealed/),
      }),
    ]);
  });

  it('closes those runs at the first seal of a later version: a change after it is reported', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
    await rewriteAsFirstVersion(lake, 'acme');
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'upgraded' });

    // The same events, stored uncompressed in the gzip: other bytes, which no run wrote.
    const key = activityKey('acme', hour(2));
    const stored = lake.objects.get(key)?.body as Uint8Array;
    await lake.put(key, gzipSync(gunzipSync(stored), { level: 0 }));
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, {
      runId: 're-pull',
      range: { fromMs: hour(2), toMs: hour(3) },
    });

    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems.map((p) => [p.kind, p.key])).toEqual([['changed', key]]);
    expect(report.recordedOnRead).toEqual([]);
  });

  it('does not take a digest of today whose `sealed` was removed for one of the first version', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
    const [key] = await listDigestKeys(lake, 'acme');
    if (key === undefined) throw new Error('the run wrote no digest');
    const { sealed: _s, ...edited } = JSON.parse(new TextDecoder().decode(lake.objects.get(key)?.body));
    await lake.put(key, new TextEncoder().encode(`${JSON.stringify(edited)}\n`));

    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems.filter((p) => p.key === key).map((p) => [p.kind, p.detail])).toEqual([
      ['bad-digest', expect.stringMatching(/has from_ms.* but no sealed.*edited after it was written/)],
    ]);
  });
});
