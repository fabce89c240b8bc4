/**
 * A run still alive while another opens can write after that run's sweep of its hours and then
 * die. The run that swept reads those hours again before it seals; a run that ends unsure of a
 * write appends an unsealed digest so that a run that began before its end cannot close it.
 */
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

/** How D's write of 02:00 ends: D killed right after it lands, or answered 500 and unreadable. */
type DEnd = 'killed' | 'unsure';

/**
 * D (a re-pull of 02:00) opens (its opening digest lands); while its put of 02:00 is in flight,
 * S (a re-pull of 00:00 beside it) opens, finds D open and sweeps 02:00 (still the old bytes), and
 * waits at its opening digest until D's write has landed; then S runs to its seal, and two
 * scheduled runs follow. Returns the integrity report of the lake.
 */
async function aliveRunWritesAfterSweep(end: DEnd) {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
  domo.add(viewEntry(hour(2) + 7 * 60_000 + 3, 500));

  let sSwept = () => {};
  const sHasSwept = new Promise<void>((resolve) => {
    sSwept = resolve;
  });
  let releaseS = () => {};
  const sReleased = new Promise<void>((resolve) => {
    releaseS = resolve;
  });
  let sPaused = false;
  const storeOfS: ObjectStore = {
    location: lake.location,
    get: (key) => lake.get(key),
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (key.startsWith(digestPrefix('acme')) && !sPaused) {
        sPaused = true;
        sSwept();
        await sReleased;
      }
      return lake.put(key, body, options);
    },
  };

  let s: Promise<unknown> = Promise.resolve();
  let landed = false;
  let readBackFailed = false;
  const storeOfD: ObjectStore = {
    location: lake.location,
    get: async (key) => {
      if (end === 'killed' && landed) throw new Error('run D was killed');
      if (end === 'unsure' && landed && !readBackFailed && key === hourD) {
        readBackFailed = true;
        throw new Error('S3 GetObject failed with ServiceUnavailable (HTTP 503)');
      }
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (end === 'killed' && landed) throw new Error('run D was killed');
      if (key === hourD && !sPaused) {
        s = runIngest(quietIngestDeps(domo, storeOfS, now), config, {
          runId: 'run-s',
          range: { fromMs: hour(0), toMs: hour(1) },
        });
        await sHasSwept;
      }
      const put = await lake.put(key, body, options);
      if (key === hourD && !landed) {
        landed = true;
        if (end === 'unsure') throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
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
  return verifyIntegrity(lake, 'acme');
}

describe('a run still alive when another opens, that writes after the sweep of its hour', () => {
  it('killed right after the write: the sweeping run reads the hour again before sealing', async () => {
    // D's write is recorded on read while D was open, never reported as a change outside the ingest.
    expect((await aliveRunWritesAfterSweep('killed')).problems).toEqual([]);
  });

  it('unsure of the write: it appends an unsealed digest at its end, so the sweeping run does not close it', async () => {
    expect((await aliveRunWritesAfterSweep('unsure')).problems).toEqual([]);
  });
});
