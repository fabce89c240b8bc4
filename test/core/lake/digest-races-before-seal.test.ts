/**
 * Two runs merging into one hour race with conditional writes; the loser's put answers 412 and
 * its read-back finds the winner's bytes. The loser lists what it sent and still seals, so a
 * forgery made after both runs ended is still reported. And a run that will close a run still
 * alive reads the hours again before sealing, those it wrote too: what the other wrote after it
 * is listed as read, not reported as a change made outside the ingest.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { forgeFirstRecord } from '../../support/six-hour-lake.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const hourX = activityKey('acme', hour(2));
const base = () => Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i));

describe('races between runs before the seal', () => {
  it('the loser of a race seals, and a later forgery of the hour is reported as changed', async () => {
    const domo = new MemoryAuditSource(base());
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));
    let hit = false;
    const storeOfA: ObjectStore = {
      location: lake.location,
      get: (k) => lake.get(k),
      list: (p) => lake.list(p),
      put: async (key, body, options) => {
        if (key === hourX && !hit) {
          hit = true;
          domo.add(viewEntry(hour(2) + 9 * 60_000 + 3, 501));
          await runIngest(quietIngestDeps(domo, lake, now), config, {
            runId: 'run-b',
            range: { fromMs: hour(2), toMs: hour(3) },
          });
        }
        return lake.put(key, body, options);
      },
    };
    await runIngest(quietIngestDeps(domo, storeOfA, now), config, {
      runId: 'run-a',
      range: { fromMs: hour(2), toMs: hour(3) },
    });
    // Both runs have ended. An attacker edits hour 2 afterwards.
    forgeFirstRecord(lake, hourX);
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, {
      runId: 'scheduled-2',
      range: { fromMs: hour(2), toMs: hour(3) },
    });
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${hourX}`]);
  });

  it("a run alive at another's opening writes an hour after that one wrote it, and dies: no change reported", async () => {
    const domo = new MemoryAuditSource(base());
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    // Domo answers D (later) with one more late event than it answered S.
    const domoS = new MemoryAuditSource([...base(), viewEntry(hour(2) + 7 * 60_000 + 3, 500)]);
    const domoD = new MemoryAuditSource([
      ...base(),
      viewEntry(hour(2) + 7 * 60_000 + 3, 500),
      viewEntry(hour(2) + 9 * 60_000 + 3, 501),
    ]);
    let dead = false;
    let sStarted = false;
    let sAtCheckpoint = () => {};
    const sPaused = new Promise<void>((r) => {
      sAtCheckpoint = r;
    });
    let releaseS = () => {};
    const sReleased = new Promise<void>((r) => {
      releaseS = r;
    });
    let paused = false;
    const storeOfS: ObjectStore = {
      location: lake.location,
      get: (k) => lake.get(k),
      list: (p) => lake.list(p),
      put: async (key, body, options) => {
        if (key === coverageKey('acme', hour(2)) && !paused) {
          paused = true;
          sAtCheckpoint();
          await sReleased;
        }
        return lake.put(key, body, options);
      },
    };
    let s: Promise<unknown> = Promise.resolve();
    let dPuts = 0;
    const storeOfD: ObjectStore = {
      location: lake.location,
      get: async (k) => {
        if (dead) throw new Error('run D was killed');
        return lake.get(k);
      },
      list: (p) => lake.list(p),
      put: async (key, body, options) => {
        if (dead) throw new Error('run D was killed');
        if (key === hourX && !sStarted) {
          sStarted = true;
          // D is open (its opening digest landed). S, a re-pull of the same hour, opens, sweeps, writes 02:00.
          s = runIngest(quietIngestDeps(domoS, storeOfS, now), config, {
            runId: 'run-s',
            range: { fromMs: hour(2), toMs: hour(3) },
          });
          await sPaused;
        }
        const put = await lake.put(key, body, options); // first try: 412 (S wrote); retry after re-merge lands
        if (key === hourX) {
          dPuts++;
          dead = true;
        }
        return put;
      },
    };
    await runIngest(quietIngestDeps(domoD, storeOfD, now), config, {
      runId: 'run-d',
      range: { fromMs: hour(2), toMs: hour(3) },
    }).catch(() => undefined);
    releaseS();
    await s;
    for (const later of [1, 2])
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
        runId: `scheduled-${later + 1}`,
      });
    const report = await verifyIntegrity(lake, 'acme');
    expect(dPuts).toBe(1);
    expect(report.problems).toEqual([]);
  });
});
