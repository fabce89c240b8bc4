import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity, walkDigestChain } from '../../../functions/core/lake/verify-integrity.ts';
import type { StoredObject } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { config, day0, firstRunAt } from '../../support/lake-beside-run.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// `verify --integrity` walks the digest chain, then reads the objects. An ingest that wrote in
// between (started just before the check) listed its writes in digests the walk never read, so
// the check reported them as tampering ("changed: … its bytes are in no digest", "unlisted: …"),
// with no word of a run. It now reads the chain's head again after the objects, and when it moved,
// judges the objects again by the grown chain; a change outside the ingest is still found.

const repullAt = firstRunAt + 10 * 60_000;
const tampered = activityKey('acme', day0);

/** A sealed lake of six hours, and the source it came from. */
async function sealedLake(store = new MemoryObjectStore()) {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  await runIngest(quietIngestDeps(source, store, firstRunAt), config);
  return { store, source };
}

/** A re-pull of `[fromHour, toHour)` that finds a late event in each hour, so it rewrites them. */
async function repull(store: MemoryObjectStore, source: MemoryAuditSource, fromHour: number, toHour: number) {
  for (let at = fromHour; at < toHour; at++)
    source.add(viewEntry(day0 + at * HOUR_MS + 5 * 60_000, 1000 + at));
  const summary = await runIngest(quietIngestDeps(source, store, repullAt), config, {
    range: { fromMs: day0 + fromHour * HOUR_MS, toMs: day0 + toHour * HOUR_MS },
  });
  if (summary.outcome !== 'complete') throw new Error(`the re-pull ended ${summary.outcome}`);
}

/** Bytes put on the first hour's object outside the ingest. */
const tamper = (store: MemoryObjectStore) => store.putNow(tampered, new TextEncoder().encode('forged'));

describe('verify --integrity beside an ingest that writes after the chain was walked', () => {
  it('judges the objects again by the grown chain: no false finding, the real one kept', async () => {
    const { store, source } = await sealedLake();
    const chain = await walkDigestChain(store, 'acme');
    await repull(store, source, 1, 5);
    tamper(store);
    const report = await chain.checkObjects();
    expect(report.problems.map((p) => [p.kind, p.key])).toEqual([['changed', tampered]]);
    expect(report.problems[0]?.detail).not.toContain('verify again once the run has ended');
    // The grown chain is the one reported: the same as a check started after the re-pull.
    const after = await verifyIntegrity(store, 'acme');
    expect(report).toEqual(after);
  });

  it('says the findings may be a run’s writes when the chain grows again while they are judged again', async () => {
    const { store, source } = await sealedLake(new RunWritingStore());
    const chain = await walkDigestChain(store, 'acme');
    await repull(store, source, 1, 3);
    tamper(store);
    (store as RunWritingStore).onSecondRead = () => repull(store as MemoryObjectStore, source, 3, 5);
    const report = await chain.checkObjects();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.key])).toEqual([['changed', tampered]]);
    expect(report.problems[0]?.detail).toContain(
      'the digest chain grew while verify read the lake (an ingest run is writing), so that run may have written it: verify again once the run has ended',
    );
  });
});

/** Runs `onSecondRead` (another ingest's writes) at the second read of the tampered object once it is set. */
class RunWritingStore extends MemoryObjectStore {
  onSecondRead?: () => Promise<void>;
  private reads = 0;
  override async get(key: string): Promise<StoredObject | undefined> {
    if (key === tampered && this.onSecondRead && ++this.reads === 2) await this.onSecondRead();
    return super.get(key);
  }
}
