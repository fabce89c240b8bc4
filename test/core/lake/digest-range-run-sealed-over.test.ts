/**
 * A run is taken as closed once a run that began after its last digest seals. A range re-pull
 * (no checkpoint: only its opening digest and its seal) still pulling while a scheduled run opens
 * and seals would so be closed; what it writes after that and then dies would be in no digest and
 * swept by no later run. Before each write the recorder looks for such a seal and, finding one,
 * appends an unsealed digest first, which keeps it open.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import { activityKey, digestKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const body = (text: string) => new TextEncoder().encode(text);

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

describe('a range re-pull alive while a scheduled run opens and seals, then killed', () => {
  it('is kept open, so its last write is first recorded on read naming it, not `changed`', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    // Late entries the re-pull of 00:00-03:00 finds.
    for (const h of [0, 1, 2]) domo.add(viewEntry(hour(h) + 7 * 60_000 + 3, 500 + h));

    // D is slow (not silent: its write of 02:00 comes once the scheduled run has sealed), and
    // killed right after that write lands.
    const paused = activityKey('acme', hour(2));
    const atPause = signal();
    const released = signal();
    let killed = false;
    let pausedOnce = false;
    const storeOfD: ObjectStore = {
      location: lake.location,
      get: async (key) => {
        if (killed) throw new Error('process killed');
        if (key === paused && !pausedOnce) {
          pausedOnce = true;
          atPause.fire();
          await released.promise;
        }
        return lake.get(key);
      },
      list: (prefix) => lake.list(prefix),
      put: async (key, bytes, options) => {
        if (killed) throw new Error('process killed');
        const put = await lake.put(key, bytes, options);
        if (key === paused) killed = true;
        return put;
      },
    };
    const d = runIngest(quietIngestDeps(domo, storeOfD, now + HOUR_MS), config, {
      runId: 'range-d',
      range: { fromMs: hour(0), toMs: hour(3) },
    }).catch(() => undefined);
    await atPause.promise;
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'scheduled-2' });
    released.fire();
    await d;
    for (const later of [2, 3]) {
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
        runId: `scheduled-${later + 1}`,
      });
    }

    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
    const hour2 = report.recordedOnRead.filter((entry) => entry.key === paused);
    expect(hour2.length).toBeGreaterThan(0);
    expect(hour2.every((entry) => entry.runs.includes('range-d'))).toBe(true);
  });
});

/** The digests of the lake by run: how many, and how many of them unsealed. */
async function digestsOf(lake: MemoryObjectStore, runId: string): Promise<{ all: number; unsealed: number }> {
  let all = 0;
  let unsealed = 0;
  for (const key of await listDigestKeys(lake, 'acme')) {
    const stored = await lake.get(key);
    if (!stored) continue;
    const digest = decodeDigest(key, stored.body);
    if (digest.run_id !== runId) continue;
    all++;
    if (!digest.sealed) unsealed++;
  }
  return { all, unsealed };
}

const recorder = (store: ObjectStore, runId: string) => {
  const made = new DigestRecorder(store, { instance: 'acme', runId, clock: { now: () => now } });
  made.begin(hour(0), hour(6));
  return made;
};

/** A short run that opens, writes one hour and seals. */
async function shortRun(lake: MemoryObjectStore, runId: string, at: number): Promise<void> {
  const run = recorder(lake, runId);
  await run.put(activityKey('acme', hour(at)), body(`${runId}\n`));
  await run.seal();
}

describe('the probe before each write of a long run', () => {
  it('appends one unsealed digest per seal over it, not one per write', async () => {
    const lake = new MemoryObjectStore();
    const long = recorder(lake, 'long');
    await long.put(activityKey('acme', hour(0)), body('a\n'));
    // Writes alone (no seal since its opening digest, and bytes a digest listed as about to be
    // written already): no digest. Other bytes append one each, for their intent.
    for (let i = 0; i < 5; i++) await long.put(activityKey('acme', hour(0)), body('a\n'));
    expect(await digestsOf(lake, 'long')).toEqual({ all: 1, unsealed: 1 });

    for (let seal = 1; seal <= 3; seal++) {
      await shortRun(lake, `short-${seal}`, 5);
      // The probe's append lists the first write's intent: the writes after it append nothing.
      for (let i = 0; i < 4; i++) await long.put(activityKey('acme', hour(1)), body(`b${seal}\n`));
      expect(await digestsOf(lake, 'long')).toEqual({ all: 1 + seal, unsealed: 1 + seal });
    }
    // Another long run's unsealed digests do not make it append.
    const other = recorder(lake, 'other');
    await other.put(activityKey('acme', hour(4)), body('o\n'));
    await other.flush();
    await long.put(activityKey('acme', hour(1)), body('b3\n'));
    expect(await digestsOf(lake, 'long')).toEqual({ all: 4, unsealed: 4 });
  });

  it('does not append for a seal of a run that began before its last digest', async () => {
    const lake = new MemoryObjectStore();
    const early = recorder(lake, 'early');
    await early.put(activityKey('acme', hour(5)), body('e\n'));
    const long = recorder(lake, 'long');
    await long.put(activityKey('acme', hour(0)), body('a\n'));
    // Early began before long's opening digest: its seal does not close long.
    await early.seal();
    await long.put(activityKey('acme', hour(0)), body('a\n'));
    expect(await digestsOf(lake, 'long')).toEqual({ all: 1, unsealed: 1 });
  });

  it('shares one append among the writes in flight together, and probes only before a write listed already', async () => {
    const lake = new MemoryObjectStore();
    const digestGets: string[] = [];
    const counting: ObjectStore = {
      location: lake.location,
      get: (key) => {
        if (key.startsWith(digestPrefix('acme'))) digestGets.push(key);
        return lake.get(key);
      },
      list: (prefix) => lake.list(prefix),
      put: (key, bytes, options) => lake.put(key, bytes, options),
    };
    const long = recorder(counting, 'long');
    await long.put(activityKey('acme', hour(0)), body('a\n'));
    // Long's opening is digest 0; short's opening and seal are 1 and 2.
    await shortRun(lake, 'short', 5);
    digestGets.length = 0;
    await Promise.all([1, 2, 3, 4].map((h) => long.put(activityKey('acme', hour(h)), body(`${h}\n`))));
    expect(await digestsOf(lake, 'long')).toEqual({ all: 2, unsealed: 2 });
    // No probe: the append listing the four writes lands past short's seal (digest 3), so no GET
    // reads digest 3 (the append found its number taken and walked to the head: digests 1 and 2).
    expect(digestGets.filter((key) => key === digestKey('acme', 3))).toHaveLength(0);
    // The next write of new bytes: no GET of the chain at all (its append lands at digest 4).
    digestGets.length = 0;
    await long.put(activityKey('acme', hour(5)), body('5\n'));
    expect(digestGets).toEqual([]);
    // A write of bytes a digest of the run lists already appends nothing: it probes, one GET
    // answering nothing (digest 5; long's last append is 4).
    await long.put(activityKey('acme', hour(5)), body('5\n'));
    expect(digestGets).toEqual([digestKey('acme', 5)]);
  });

  it('after a failed append, finds the seal again at the next write rather than write unrecorded', async () => {
    const lake = new MemoryObjectStore();
    let failDigestPut = false;
    const flaky: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: async (key, bytes, options) => {
        if (failDigestPut && key.startsWith(digestPrefix('acme'))) {
          failDigestPut = false;
          throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
        }
        return lake.put(key, bytes, options);
      },
    };
    const long = recorder(flaky, 'long');
    await long.put(activityKey('acme', hour(0)), body('a\n'));
    await shortRun(lake, 'short', 5);
    failDigestPut = true;
    await expect(long.put(activityKey('acme', hour(1)), body('b\n'))).rejects.toThrow(/InternalError/);
    // The recorder's digests fail on after a failed one: the write is refused, not sent unrecorded.
    await expect(long.put(activityKey('acme', hour(2)), body('c\n'))).rejects.toThrow(/InternalError/);
    expect(await lake.get(activityKey('acme', hour(1)))).toBeUndefined();
    expect(await lake.get(activityKey('acme', hour(2)))).toBeUndefined();
    expect(await digestsOf(lake, 'long')).toEqual({ all: 1, unsealed: 1 });
  });

  it('appends when its look for seals fails, and writes: a failed look does not fail the write', async () => {
    const lake = new MemoryObjectStore();
    let failNextDigestGet = false;
    const flaky: ObjectStore = {
      location: lake.location,
      get: (key) => {
        if (failNextDigestGet && key.startsWith(digestPrefix('acme'))) {
          failNextDigestGet = false;
          return Promise.reject(new Error('S3 GetObject failed with SlowDown (HTTP 503)'));
        }
        return lake.get(key);
      },
      list: (prefix) => lake.list(prefix),
      put: (key, bytes, options) => lake.put(key, bytes, options),
    };
    const long = recorder(flaky, 'long');
    await long.put(activityKey('acme', hour(0)), body('a\n'));
    failNextDigestGet = true;
    await long.put(activityKey('acme', hour(1)), body('b\n'));
    expect(new TextDecoder().decode((await lake.get(activityKey('acme', hour(1))))?.body)).toBe('b\n');
    // Not known whether a run sealed over it: it appended, so it stays open either way.
    expect(await digestsOf(lake, 'long')).toEqual({ all: 2, unsealed: 2 });
  });
});
