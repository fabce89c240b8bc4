/**
 * `status` notes an unsealed chain end, which took a search for the head from digest 0: about
 * 2·log2(N) probes in a row per instance (review R-EVIDENCE3 L2). The last run's record now keeps
 * the head it left, and the search starts there: one probe and one listing. Counted, not timed.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest } from '../../../functions/core/lake/digest.ts';
import { lastRunKey } from '../../../functions/core/lake/last-run.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { statusAt } from '../../support/status-at.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 3 * 24 * HOUR_MS + 30 * 60_000;

/** `inner`, counting the requests made for digest keys (GET, HEAD, LIST). */
function countingDigestRequests(inner: ObjectStore): { store: ObjectStore; count: () => number } {
  let n = 0;
  const store = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (['get', 'exists', 'list'].includes(String(prop)) && String(args[0]).startsWith('digest/')) n++;
        return value.apply(target, args);
      };
    },
  });
  return { store, count: () => n };
}

/** A lake of three days of hourly digests whose last run recorded itself, then a run that died after its first digest. */
async function lakeWithUnsealedEnd(): Promise<{ lake: MemoryObjectStore; head: number }> {
  const domo = new MemoryAuditSource(
    Array.from({ length: 72 * 3 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const lake = new MemoryObjectStore();
  const config = { ...defaultIngestConfig('acme'), backfillDays: 3, concurrency: 1 };
  const summary = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
  expect(summary.digestHead).toBeGreaterThan(50);
  await recordLastRun(lake, summary, now);
  await appendDigest(lake, {
    instance: 'acme',
    runId: 'killed',
    createdAt: new Date(now).toISOString(),
    objects: [],
    sealed: false,
    fromMs: now - 2 * HOUR_MS,
  });
  return { lake, head: (summary.digestHead as number) + 1 };
}

describe('status on a chain that ends unsealed', () => {
  it('finds the head from the one the last run recorded, in a few requests', async () => {
    const { lake, head } = await lakeWithUnsealedEnd();
    const counted = countingDigestRequests(lake);
    const { status } = await statusAt(counted.store, 'acme', now);
    expect(status.unsealedHead).toMatchObject({ key: digestKey('acme', head), runId: 'killed' });
    // The recorded head, a listing after it, the head's body; and digest 0, where the chain's first
    // run began pulling (the lake's oldest hours gone, hour-findings.ts), with digest 1, which
    // names it (review STATUS7: a start edited on hid those hours).
    expect(counted.count()).toBeLessThanOrEqual(5);
  });

  it('searches from digest 0 with no head recorded, and from it when the recorded one is gone', async () => {
    const { lake, head } = await lakeWithUnsealedEnd();
    const record = JSON.parse(new TextDecoder().decode(lake.objects.get(lastRunKey('acme'))?.body));
    for (const recorded of [undefined, head + 40]) {
      const { digest_head: _old, ...rest } = record;
      const edited = recorded === undefined ? rest : { ...rest, digest_head: recorded };
      await lake.put(lastRunKey('acme'), new TextEncoder().encode(JSON.stringify(edited)));
      const counted = countingDigestRequests(lake);
      const { status } = await statusAt(counted.store, 'acme', now);
      expect(status.unsealedHead).toMatchObject({ key: digestKey('acme', head) });
      expect(counted.count()).toBeGreaterThan(6);
    }
  });
});
