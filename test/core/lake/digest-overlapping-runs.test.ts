import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = (): IngestConfig => ({ ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 });

/**
 * Two runs of one instance at once: run A writes its opening digest, then every later digest of A
 * waits until run B has run from start to end. So B reads the hours A writes before any digest of
 * A lists them (and records them, as read, first). Then A records its writes and seals; or, with
 * `aDies`, A is killed when B ends: nothing it does after that reaches the lake.
 */
async function overlap(
  options: { aDies?: boolean; afterPutOfA?: (key: string, store: MemoryObjectStore) => void } = {},
) {
  const source = new MemoryAuditSource(
    Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
  );
  const store = new MemoryObjectStore();
  const depsWith = (runStore: ObjectStore): IngestDeps => quietIngestDeps(source, runStore, now);
  let bEnded = false;
  let bDone!: () => void;
  const bFinished = new Promise<void>((resolve) => {
    bDone = resolve;
  });
  let aStalled!: () => void;
  const aStalls = new Promise<void>((resolve) => {
    aStalled = resolve;
  });
  let digestsOfA = 0;
  const storeOfA: ObjectStore = {
    location: store.location,
    get: (key) => store.get(key),
    list: (prefix) => store.list(prefix),
    put: async (key, body, putOptions) => {
      if (key.startsWith(digestPrefix('acme')) && digestsOfA++ > 0) {
        aStalled();
        await bFinished;
      }
      if (bEnded && options.aDies) throw new Error('run A was killed');
      const put = await store.put(key, body, putOptions);
      options.afterPutOfA?.(key, store);
      return put;
    },
  };
  const runA = runIngest(depsWith(storeOfA), config(), { runId: 'run-a' });
  await aStalls;
  // Of A, only its opening digest is in the chain: the hours it wrote are in no digest yet.
  expect([...store.objects.keys()].filter((key) => key.startsWith(digestPrefix('acme')))).toHaveLength(1);
  const b = await runIngest(depsWith(store), config(), { runId: 'run-b' });
  bEnded = true;
  bDone();
  const a = await runA;
  return { store, a, b };
}

describe('two runs of one instance at once', () => {
  it("leave a clean integrity report: what one read before the other recorded it is the other run's write", async () => {
    const { store, a, b } = await overlap();
    expect(a.windowsDone).toBe(a.windowsPlanned);
    expect(b.windowsDone).toBe(b.windowsPlanned);
    const report = await verifyIntegrity(store, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [], recordedOnRead: [], unsealedHead: null });
  });

  it('each say the other run they saw append digests while they ran', async () => {
    const { a, b } = await overlap();
    // B ran whole while A appended nothing; A's next digest landed past all of B's.
    expect(a.otherRuns).toEqual(['run-b']);
    expect(b.otherRuns).toEqual([]);

    const source = new MemoryAuditSource(
      Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    const deps = quietIngestDeps(source, store, now);
    const [x, y] = await Promise.all([
      runIngest(deps, config(), { runId: 'run-x' }),
      runIngest(deps, config(), { runId: 'run-y' }),
    ]);
    expect(x.otherRuns).toEqual(['run-y']);
    expect(y.otherRuns).toEqual(['run-x']);
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({
      ok: true,
      problems: [],
      recordedOnRead: [],
    });
    // Alone, a run names no other.
    expect((await runIngest(deps, config(), { runId: 'run-z' })).otherRuns).toEqual([]);
  });

  it('name the run that never sealed when it may have written what the other read', async () => {
    const { store } = await overlap({ aDies: true });
    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems).toEqual([]);
    // What A wrote before it was killed (one write: each waits for a digest listing its bytes as
    // about to be written, and A's second digest waits for B): B read it, no digest lists it as
    // written, and A's opening digest listed those very bytes before A wrote them.
    expect(report.recordedOnRead.length).toBeGreaterThan(0);
    for (const read of report.recordedOnRead) {
      expect(read).toMatchObject({
        as: expect.stringMatching(/^(read|replaced)$/),
        runId: 'run-b',
        runs: ['run-a'],
      });
    }
  });

  it('still report bytes changed outside the ingest that one run read while the other ran', async () => {
    // A's first write (a manifest of an hour with no events), the one B can read before a digest
    // of A lists it: a byte added after it landed.
    let forged: string | undefined;
    const { store } = await overlap({
      afterPutOfA: (key, lake) => {
        if (forged !== undefined || key.startsWith(digestPrefix('acme'))) return;
        forged = key;
        const body = lake.objects.get(key)?.body as Uint8Array;
        lake.putNow(key, Buffer.concat([body, Buffer.from('\n')]));
      },
    });
    const report = await verifyIntegrity(store, 'acme');
    expect(forged).toBeDefined();
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${forged}`]);
    expect(report.problems[0]?.detail).toMatch(
      /first recorded when run run-b read them \(digest\/instance=acme\/\d+\.json\), no digest lists them as written, and no run that could have written them had writes left unrecorded then: they were changed outside the ingest$/,
    );
    expect(report.recordedOnRead).toEqual([]);
  });
});
