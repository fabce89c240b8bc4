import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = (overrides: Partial<IngestConfig> = {}): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  ...overrides,
});

// A run that dies leaves what it wrote after its last digest in no digest. A scheduled run records
// those bytes when it re-pulls the hours itself, but a range run (--from/--to) writes hours far
// behind the watermark that no scheduled run pulls again: only the next run's sweep, from the dead
// run's first hour on, reads them into the chain.
describe('the run after a range run that died', () => {
  it('sweeps the hours the dead run pulled and records what it left as read', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    let clock = now;
    const deps: IngestDeps = {
      source,
      store,
      clock: { now: () => clock },
      log: silentLog,
      metrics: { count() {} },
    };
    await runIngest(deps, config());

    // A late event in hour 1; a range run over hours 0-2 dies right after rewriting that hour.
    const hour1 = activityKey('acme', day0 + HOUR_MS);
    source.add(viewEntry(day0 + HOUR_MS + 1, 99));
    let dead = false;
    store.beforePut = (key) => {
      if (dead) throw new Error('crash');
      if (key === hour1) dead = true;
    };
    await runIngest(deps, config({ concurrency: 1 }), { range: { fromMs: day0, toMs: day0 + 3 * HOUR_MS } });
    store.beforePut = undefined;
    expect((await verifyIntegrity(store, 'acme')).problems.map((p) => `${p.kind} ${p.key}`)).toContain(
      `changed ${hour1}`,
    );

    // The next scheduled run pulls only its lookback (hours 4-6), far from hour 1.
    clock = now + HOUR_MS;
    const asked = source.queries.length;
    await runIngest(deps, config());
    expect(source.queries.slice(asked).every((q) => q.start >= day0 + 4 * HOUR_MS - 1)).toBe(true);

    const report = await verifyIntegrity(store, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [], unsealedHead: null });
    expect(report.recordedOnRead.map((r) => r.key)).toContain(hour1);
  });
});
