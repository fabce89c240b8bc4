import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { type ObjectStore, PreconditionFailedError } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = (): IngestConfig => ({ ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 });
const source = () =>
  new MemoryAuditSource(Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)));

type Answer = '412' | '500';

/**
 * The first put of `target` lands, but its answer is lost: the SDK's retry of a conditional put gets
 * 412 (the object is no longer what it expected: it is its own write), or every retry a 5xx. With
 * `readBackFails`, the next GET of `target` fails as well.
 */
function landsThenAnswers(
  lake: MemoryObjectStore,
  target: string,
  answer: Answer,
  readBackFails = false,
): ObjectStore {
  let landed = false;
  let getFailed = false;
  return {
    location: lake.location,
    list: (prefix) => lake.list(prefix),
    get: async (key) => {
      if (readBackFails && landed && !getFailed && key === target) {
        getFailed = true;
        throw new Error('S3 GetObject failed with ServiceUnavailable (HTTP 503)');
      }
      return lake.get(key);
    },
    put: async (key, body, options) => {
      const put = await lake.put(key, body, options);
      if (landed || key !== target) return put;
      landed = true;
      if (answer === '412') throw new PreconditionFailedError(key);
      throw new Error('S3 PutObject failed with InternalError (HTTP 500)');
    },
  };
}

/** Run A meets the failing put; run B (an hour later, on the plain lake) re-pulls what A left. */
async function twoRuns(target: string, answer: Answer, readBackFails = false) {
  const lake = new MemoryObjectStore();
  const domo = source();
  const a = await runIngest(
    quietIngestDeps(domo, landsThenAnswers(lake, target, answer, readBackFails), now),
    config(),
    { runId: 'run-a' },
  );
  await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config(), { runId: 'run-b' });
  return { a, report: await verifyIntegrity(lake, 'acme') };
}

const hour = day0 + 2 * HOUR_MS;
const targets = [
  ['an hour of events', activityKey('acme', hour)],
  ['a coverage manifest', coverageKey('acme', hour)],
] as const;

describe('a put that lands but answers an error', () => {
  for (const [what, target] of targets) {
    for (const answer of ['412', '500'] as const) {
      it(`records ${what} it wrote (answered ${answer}) as the run's write: no finding`, async () => {
        const { report } = await twoRuns(target, answer);
        expect(report.problems).toEqual([]);
        expect(report.recordedOnRead).toEqual([]);
        expect(report.ok).toBe(true);
      });
    }
  }

  for (const [what, target] of targets) {
    it(`records ${what} answered 412 whose read-back failed as the run's write once the run reads it again`, async () => {
      const { a, report } = await twoRuns(target, '412', true);
      expect(a.windowsFailed).toBe(0);
      expect(report.problems).toEqual([]);
      expect(report.recordedOnRead).toEqual([]);
      expect(report.ok).toBe(true);
    });
  }

  it('leaves the run unsealed when the read-back fails too: the next run records the hour as read while it was open', async () => {
    const target = activityKey('acme', hour);
    const { a, report } = await twoRuns(target, '500', true);
    expect(a.windowsFailed).toBeGreaterThan(0);
    expect(a.failures.some((failure) => failure.message.includes('HTTP 500'))).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.recordedOnRead).toEqual([
      expect.objectContaining({ key: target, runId: 'run-b', runs: ['run-a'] }),
    ]);
  });
});
