import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { DomoConfigError, DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const range = { fromMs: day0, toMs: day0 + 4 * HOUR_MS };
const FORBIDDEN = 'GET /v1/audit answered 403: the client lacks the audit scope';

/**
 * Two hours read at once (one span each): the first hour's request is still waiting when the second
 * hour's fails with `failure`. The waiting request ends when the run aborts it, or else one
 * turn of the event loop after the failure (every step of the failure is a promise by then),
 * serving its page: an in-flight hour that is not aborted is stored.
 */
function racingHours(failure: Error) {
  const source = new MemoryAuditSource([0, 1, 2, 3].map((h) => viewEntry(day0 + h * HOUR_MS + 60_000, h)));
  const serve = source.fetchPage.bind(source);
  let failed: () => void = () => {};
  const afterFailure = new Promise<void>((resolve) => {
    failed = () => setImmediate(resolve);
  });
  source.fetchPage = async (query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> => {
    if (query.start === day0 + HOUR_MS - 1) {
      failed();
      throw failure;
    }
    if (query.start !== day0 - 1) return serve(query);
    return new Promise<AuditPage>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      void afterFailure.then(() => resolve(serve(query)));
    });
  };
  return source;
}

const pull = (source: MemoryAuditSource, store: MemoryObjectStore) =>
  runIngest(
    quietIngestDeps(source, store, day0 + 5 * HOUR_MS),
    { ...defaultIngestConfig('acme'), concurrency: 2 },
    { range, spanSizing: { targetEvents: 1, maxHours: 1 } },
  );

describe('a configuration error (Domo refuses the client, not a passing outage)', () => {
  it('aborts the hours still being read: they fail with it, and nothing of them is stored', async () => {
    const store = new MemoryObjectStore();
    const summary = await pull(racingHours(new DomoConfigError(FORBIDDEN, 403)), store);
    expect(summary).toMatchObject({ stoppedEarly: 'fatal-error', windowsDone: 0, windowsFailed: 2 });
    expect(summary.failures).toEqual([
      // Marked as the configuration's: the command line says to fix it, not just to run again.
      { windowStartMs: day0 + HOUR_MS, message: FORBIDDEN, configuration: true },
      { windowStartMs: day0, message: FORBIDDEN, configuration: true },
    ]);
    expect(store.objects.has(activityKey('acme', day0))).toBe(false);
  });

  it('unlike any other failure, which lets the hours in flight finish and only starts no new one', async () => {
    const store = new MemoryObjectStore();
    const summary = await pull(
      racingHours(new DomoUnavailableError('Domo answered 503 six times', 6, 503)),
      store,
    );
    expect(summary).toMatchObject({ stoppedEarly: 'fatal-error', windowsDone: 1, windowsFailed: 1 });
    expect(summary.failures).toEqual([
      { windowStartMs: day0 + HOUR_MS, message: 'Domo answered 503 six times' },
    ]);
    expect(store.objects.has(activityKey('acme', day0))).toBe(true);
    expect(store.objects.has(activityKey('acme', day0 + 2 * HOUR_MS))).toBe(false);
  });
});
