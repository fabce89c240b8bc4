import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
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
const hourD = activityKey('acme', hour(2));

/** What run D does to the lake's store: its writes, and how it ends. */
type RunDStore = (lake: MemoryObjectStore) => ObjectStore;

/**
 * Run E (a re-pull of 00:00, say from the command line beside the schedule) opens; run D (a re-pull
 * of 02:00, where Domo now serves one more entry) opens after it, writes the hour and ends without
 * sealing; then E seals, so the chain's head is sealed when the next scheduled runs open. D began
 * before E's last digest, so `verify --integrity` keeps D open until a run that began after it
 * seals: that run must have swept D's hours.
 */
async function lakeAfterRunSealedOver(storeOfD: RunDStore): Promise<MemoryObjectStore> {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });

  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let stalled = () => {};
  const eStalls = new Promise<void>((resolve) => {
    stalled = resolve;
  });
  let digestsOfE = 0;
  // E stalls before its second digest, until D has ended.
  const storeOfE: ObjectStore = {
    location: lake.location,
    get: (key) => lake.get(key),
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (key.startsWith(digestPrefix('acme')) && digestsOfE++ > 0) {
        stalled();
        await released;
      }
      return lake.put(key, body, options);
    },
  };
  const e = runIngest(quietIngestDeps(domo, storeOfE, now), config, {
    runId: 'run-e',
    range: { fromMs: hour(0), toMs: hour(1) },
  });
  await eStalls;

  domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));
  await runIngest(quietIngestDeps(domo, storeOfD(lake), now), config, {
    runId: 'run-d',
    range: { fromMs: hour(2), toMs: hour(3) },
  }).catch(() => undefined);
  release();
  await e;

  for (const later of [1, 2]) {
    await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
      runId: `scheduled-${later + 1}`,
    });
  }
  return lake;
}

/** D is killed right after its write of 02:00 lands. */
const killedAfterItsWrite: RunDStore = (lake) => {
  let dead = false;
  return {
    location: lake.location,
    get: async (key) => {
      if (dead) throw new Error('run D was killed');
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (dead) throw new Error('run D was killed');
      const put = await lake.put(key, body, options);
      if (key === hourD) dead = true;
      return put;
    },
  };
};

/**
 * D's put of 02:00 lands but answers 500, and the read-back answers 503: D cannot know what the
 * hour holds, and ends unsealed on purpose for the next run to sweep.
 */
const unsureOfItsWrite: RunDStore = (lake) => {
  let landed = false;
  let readBackFailed = false;
  return {
    location: lake.location,
    get: async (key) => {
      if (landed && !readBackFailed && key === hourD) {
        readBackFailed = true;
        throw new Error('S3 GetObject failed with ServiceUnavailable (HTTP 503)');
      }
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      const put = await lake.put(key, body, options);
      if (key === hourD && !landed) {
        landed = true;
        throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
      }
      return put;
    },
  };
};

describe('a run that ends unsealed while an older overlapping run seals after it', () => {
  it('leaves verify clean before the next run: what it wrote is recorded on read, naming it', async () => {
    const lake = await lakeAfterRunSealedOver(killedAfterItsWrite);
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.unsealedHead).toBeNull();
    expect(report.problems).toEqual([]);
    expect(report.recordedOnRead.map((entry) => entry.runs)).toContainEqual(['run-d']);
  });

  it('has its hours swept by the next run, when it was killed', async () => {
    const lake = await lakeAfterRunSealedOver(killedAfterItsWrite);

    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
    expect(report.recordedOnRead).toEqual([
      expect.objectContaining({ key: hourD, as: 'read', runId: 'scheduled-2', runs: ['run-d'] }),
    ]);
  });

  it('has its hours swept by the next run, when it ended unsealed unsure of a write', async () => {
    const lake = await lakeAfterRunSealedOver(unsureOfItsWrite);

    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
    expect(report.recordedOnRead).toEqual([
      expect.objectContaining({ key: hourD, as: 'read', runId: 'scheduled-2', runs: ['run-d'] }),
    ]);
  });

  it('has its hours swept when it appended its digest while the next run was opening', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));
    domo.add(viewEntry(now + 60_000, 501));

    // S has read the head and swept nothing; before its opening digest lands, D opens (taking the
    // number S meant to take), writes 02:00 and is killed. S's opening lands after D's digest.
    let dRan = false;
    const storeOfS: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: async (key, body, options) => {
        if (key.startsWith(digestPrefix('acme')) && !dRan) {
          dRan = true;
          await runIngest(quietIngestDeps(domo, killedAfterItsWrite(lake), now), config, {
            runId: 'run-d',
            range: { fromMs: hour(2), toMs: hour(3) },
          }).catch(() => undefined);
        }
        return lake.put(key, body, options);
      },
    };
    await runIngest(quietIngestDeps(domo, storeOfS, now + HOUR_MS), config, { runId: 'run-s' });
    await runIngest(quietIngestDeps(domo, lake, now + 2 * HOUR_MS), config, { runId: 'scheduled-3' });

    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
    expect(report.recordedOnRead).toEqual([
      expect.objectContaining({ key: hourD, as: 'read', runId: 'scheduled-3', runs: ['run-d'] }),
    ]);
  });
});
