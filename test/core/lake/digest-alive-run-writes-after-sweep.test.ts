import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, digestPrefix, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const hourD = activityKey('acme', hour(2));

/**
 * A run still alive while another opens can write after that run's sweep of its hours and then
 * die. The run that swept reads those hours again before it seals; a run that ends unsure of a
 * write appends an unsealed digest so that a run that began before its end cannot close it.
 */
describe('a run still alive when another opens, that writes after the sweep of its hour', () => {
  it('killed right after the write: the sweeping run reads the hour again before sealing', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));

    // D (a re-pull of 02:00) opens (its opening digest lands), then, while its put of 02:00 is in
    // flight, S (a re-pull of 00:00 beside it) runs whole: it finds D open, sweeps 02:00 (still the
    // old bytes), and seals. D's put then lands and D is killed before its next digest.
    let dead = false;
    let sStarted = false;
    let sSwept = () => {};
    const sHasSwept = new Promise<void>((r) => {
      sSwept = r;
    });
    let releaseS = () => {};
    const sReleased = new Promise<void>((r) => {
      releaseS = r;
    });
    // S pauses at its opening digest (its sweep done) until D's write has landed.
    const storeOfS: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: async (key, body, options) => {
        if (key.startsWith(digestPrefix('acme')) && !SPaused) {
          SPaused = true;
          sSwept();
          await sReleased;
        }
        return lake.put(key, body, options);
      },
    };
    let SPaused = false;
    let s: Promise<unknown> = Promise.resolve();
    const storeOfD: ObjectStore = {
      location: lake.location,
      get: async (key) => {
        if (dead) throw new Error('run D was killed');
        return lake.get(key);
      },
      list: (prefix) => lake.list(prefix),
      put: async (key, body, options) => {
        if (dead) throw new Error('run D was killed');
        if (key === hourD && !sStarted) {
          sStarted = true;
          s = runIngest(quietIngestDeps(domo, storeOfS, now), config, {
            runId: 'run-s',
            range: { fromMs: hour(0), toMs: hour(1) },
          });
          await sHasSwept;
        }
        const put = await lake.put(key, body, options);
        if (key === hourD) dead = true;
        return put;
      },
    };
    await runIngest(quietIngestDeps(domo, storeOfD, now), config, {
      runId: 'run-d',
      range: { fromMs: hour(2), toMs: hour(3) },
    }).catch(() => undefined);
    releaseS();
    await s;
    for (const later of [1, 2]) {
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
        runId: `scheduled-${later + 1}`,
      });
    }
    const report = await verifyIntegrity(lake, 'acme');
    // D's write is recorded on read while D was open, never reported as a change outside the ingest.
    expect(report.problems).toEqual([]);
  });
});

describe('a run still alive when another opens, unsure of its write after the sweep', () => {
  it('appends an unsealed digest at its end, so the sweeping run does not close it', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));

    // D (a re-pull of 02:00) opens (its opening digest lands), then, while its put of 02:00 is in
    // flight, S (a re-pull of 00:00 beside it) runs whole: it finds D open, sweeps 02:00 (still the
    // old bytes), and seals. D's put then lands and D is killed before its next digest.
    let landed = false;
    let readBackFailed = false;
    let sStarted = false;
    let sSwept = () => {};
    const sHasSwept = new Promise<void>((r) => {
      sSwept = r;
    });
    let releaseS = () => {};
    const sReleased = new Promise<void>((r) => {
      releaseS = r;
    });
    // S pauses at its opening digest (its sweep done) until D's write has landed.
    const storeOfS: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: async (key, body, options) => {
        if (key.startsWith(digestPrefix('acme')) && !SPaused) {
          SPaused = true;
          sSwept();
          await sReleased;
        }
        return lake.put(key, body, options);
      },
    };
    let SPaused = false;
    let s: Promise<unknown> = Promise.resolve();
    const storeOfD: ObjectStore = {
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
        if (key === hourD && !sStarted) {
          sStarted = true;
          s = runIngest(quietIngestDeps(domo, storeOfS, now), config, {
            runId: 'run-s',
            range: { fromMs: hour(0), toMs: hour(1) },
          });
          await sHasSwept;
        }
        const put = await lake.put(key, body, options);
        if (key === hourD && !landed) {
          landed = true;
          throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
        }
        return put;
      },
    };
    await runIngest(quietIngestDeps(domo, storeOfD, now), config, {
      runId: 'run-d',
      range: { fromMs: hour(2), toMs: hour(3) },
    }).catch(() => undefined);
    releaseS();
    await s;
    for (const later of [1, 2]) {
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
        runId: `scheduled-${later + 1}`,
      });
    }
    const report = await verifyIntegrity(lake, 'acme');
    // D's write is recorded on read while D was open, never reported as a change outside the ingest.
    expect(report.problems).toEqual([]);
  });
});
