/**
 * A run that closes runs open in the chain reads their hours again just before its seal; when that
 * re-read runs out of time or fails, the run's last digest is left unsealed. That once happened
 * silently (summary complete, nothing logged), and since each next run has the same hours to read
 * again plus its own, it could happen to every run after: no run sealed again, and a later forgery
 * in those hours read as what the dead run may have written. The run now reports it as a failure.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { Log, ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { lakeAfterDeadRepull as deadRepullLake } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const base = () => Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i));

const lakeAfterDeadRepull = (domo: MemoryAuditSource) => deadRepullLake(domo, config, now, hour(2));

/** Records what the run logs at error level. */
function errorLog(): {
  log: Log;
  errors: { message: string; fields: Record<string, unknown> | undefined }[];
} {
  const errors: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const log: Log = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (message, fields) => {
      errors.push({ message, fields });
    },
  };
  return { log, errors };
}

/** What the store meets once the run's last table write has landed. */
interface AfterLastWrite {
  remainingMs: number;
  failGets: boolean;
}

/**
 * A re-pull of hour 4 on `lake`; once the run's last table write (hour 4's coverage) has landed,
 * `afterLastWrite` changes what the re-read before the seal meets: the time left, failing GETs.
 */
async function repullOf4(
  lake: MemoryObjectStore,
  domo: MemoryAuditSource,
  afterLastWrite: (state: AfterLastWrite) => void,
) {
  const state: AfterLastWrite = { remainingMs: 600_000, failGets: false };
  const store: ObjectStore = {
    location: lake.location,
    get: (key) => {
      if (state.failGets && key.startsWith('activity_log/'))
        return Promise.reject(new Error('GET answered 503'));
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      const put = await lake.put(key, body, options);
      if (key === coverageKey('acme', hour(4))) afterLastWrite(state);
      return put;
    },
  };
  const { log, errors } = errorLog();
  const summary = await runIngest(
    { ...quietIngestDeps(domo, store, now + HOUR_MS), log, remainingTimeMs: () => state.remainingMs },
    { ...config, budgetMarginMs: 60_000 },
    { runId: 'repull-4', range: { fromMs: hour(4), toMs: hour(5) } },
  );
  return { summary, errors };
}

describe('a run whose re-read before the seal does not finish', () => {
  it('past the hard stop, with a few seconds left for a re-read of one hour: it reads, seals, does not fail', async () => {
    const domo = new MemoryAuditSource(base());
    const lake = await lakeAfterDeadRepull(domo);

    // 10 s is under the 30 s hard stop that cuts hours in flight; the re-read needs milliseconds.
    const { summary, errors } = await repullOf4(lake, domo, (state) => {
      state.remainingMs = 10_000;
    });

    expect(summary.failures).toEqual([]);
    expect(errors).toEqual([]);
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.unsealedHead).toBeNull();
    expect(report.problems).toEqual([]);
  });

  it('out of time: fails, says the chain was left unsealed and why, and logs it', async () => {
    const domo = new MemoryAuditSource(base());
    const lake = await lakeAfterDeadRepull(domo);

    const { summary, errors } = await repullOf4(lake, domo, (state) => {
      state.remainingMs = 2_000;
    });

    expect(summary.windowsDone).toBe(1);
    expect(summary.outcome).toBe('failed');
    const messages = summary.failures.map((failure) => failure.message);
    expect(messages).toEqual([
      expect.stringMatching(
        /^the digest chain of "acme" was left unsealed: .* that re-read began with 2 s of this run left and stopped while listing them, after 0 objects listed, 2 s before its end .*give a run more time/,
      ),
    ]);
    expect(errors).toContainEqual({
      message: 'digest chain left unsealed',
      fields: { reason: 'out-of-time', error: messages[0] },
    });
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead?.runId).toBe('repull-4');
  });

  it('a GET fails: fails, and says the re-read failed', async () => {
    const domo = new MemoryAuditSource(base());
    const lake = await lakeAfterDeadRepull(domo);

    const { summary, errors } = await repullOf4(lake, domo, (state) => {
      state.failGets = true;
    });

    expect(summary.outcome).toBe('failed');
    expect(summary.failures.map((failure) => failure.message)).toEqual([
      expect.stringMatching(/was left unsealed: .*that re-read failed: GET answered 503/),
    ]);
    expect(errors.map((error) => error.fields?.reason)).toContain('read-failed');
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead?.runId).toBe('repull-4');
  });

  it('with the time and the reads it needs, seals and reports nothing', async () => {
    const domo = new MemoryAuditSource(base());
    const lake = await lakeAfterDeadRepull(domo);

    const { summary, errors } = await repullOf4(lake, domo, () => {});

    expect(summary.outcome).toBe('complete');
    expect(summary.failures).toEqual([]);
    expect(errors).toEqual([]);
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead).toBeNull();
  });
});
