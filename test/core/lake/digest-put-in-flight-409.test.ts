import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest } from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { InFlight409Store } from '../../support/in-flight-409-store.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const range = { fromMs: hour, toMs: hour + HOUR_MS };
const config = { ...defaultIngestConfig('acme'), concurrency: 1 };
const keys = [
  ['events', activityKey('acme', hour)],
  ['manifest', coverageKey('acme', hour)],
] as const;

/** A pull of the hour, then a re-pull finding a late event, whose put of `key` is armed by `arm`. */
async function rePull(arm: (store: InFlight409Store) => void) {
  const store = new InFlight409Store();
  const source = new MemoryAuditSource([viewEntry(hour + 60_000, 1)]);
  await runIngest(quietIngestDeps(source, store, hour + 2 * HOUR_MS), config, { range });
  source.add(viewEntry(hour + 120_000, 2));
  arm(store);
  const summary = await runIngest(quietIngestDeps(source, store, hour + 3 * HOUR_MS), config, { range });
  return { store, source, summary };
}

async function lastDigest(store: InFlight409Store) {
  let sequence = 0;
  while (store.objects.has(digestKey('acme', sequence + 1))) sequence++;
  const key = digestKey('acme', sequence);
  const stored = await store.get(key);
  if (!stored) throw new Error(`no digest ${key}`);
  return decodeDigest(key, stored.body);
}

describe("the digest record of a put answered 409 while the run's own first attempt is in flight", () => {
  for (const [name, key] of keys) {
    for (const landAfterGets of [1, 2]) {
      it(`lists the ${name} as the run's write when it lands after the read-back (${landAfterGets} GETs)`, async () => {
        const { store, summary } = await rePull((s) => s.arm(key, landAfterGets));
        expect(store.conflicted).toEqual([key]);
        expect(summary.windowsFailed).toBe(0);
        const report = await verifyIntegrity(store, 'acme');
        expect(report.problems).toEqual([]);
        expect(report.recordedOnRead).toEqual([]);
      });
    }

    it(`leaves the run unsealed when every attempt at the ${name} is answered 409, so the next run records what lands`, async () => {
      const { store, source, summary } = await rePull((s) => s.arm(key, Number.POSITIVE_INFINITY));
      expect(summary.windowsFailed).toBe(1);
      expect((await lastDigest(store)).sealed).toBe(false);
      // The first attempt lands after the run gave up; the next run sweeps the open run's hours.
      store.land(key);
      await runIngest(quietIngestDeps(source, store, hour + 4 * HOUR_MS), config, { range });
      expect((await verifyIntegrity(store, 'acme')).problems).toEqual([]);
    });
  }
});
