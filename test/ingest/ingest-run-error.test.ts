import { describe, expect, it } from 'vitest';
import { DomoUnavailableError } from '../../functions/core/domo/errors.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestOptions, IngestProgress } from '../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { IngestRunError } from '../../functions/ingest/handler.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
/** With backfillDays 1, a scheduled run pulls the 24 hours of day0. */
const now = day0 + 24 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 2 };

/** A run in which 02:00 fails once every other hour of the run is stored. */
async function runFailingAt0200(options: IngestOptions, otherHours: number) {
  const source = new MemoryAuditSource(
    Array.from({ length: 24 }, (_, i) => viewEntry(day0 + i * HOUR_MS, i)),
  );
  let othersStored = () => {};
  const others = new Promise<void>((resolve) => (othersStored = resolve));
  const failing = {
    fetchPage: async (query: Parameters<MemoryAuditSource['fetchPage']>[0]) => {
      if (query.start <= day0 + 2 * HOUR_MS && query.end >= day0 + 3 * HOUR_MS - 1000) {
        await others;
        throw new DomoUnavailableError('Domo answered 503 six times', 6, 503);
      }
      return source.fetchPage(query);
    },
  };
  const onProgress = (p: IngestProgress) => {
    if (p.windowsDone >= otherHours) othersStored();
  };
  const deps = { ...quietIngestDeps(failing, new MemoryObjectStore(), now), onProgress };
  return runIngest(deps, config, { spanSizing: { targetEvents: 1, maxHours: 1 }, ...options });
}

describe('the error a failed run throws', () => {
  it('tells a failed re-pull where to invoke it again from: the schedule does not pull its hours', async () => {
    const summary = await runFailingAt0200({ range: { fromMs: day0, toMs: day0 + 4 * HOUR_MS } }, 3);
    expect(summary.windowsDone).toBe(3);
    expect(summary.failures.map((f) => f.windowStartMs)).toEqual([day0 + 2 * HOUR_MS]);
    expect(new IngestRunError(summary).message).toMatch(
      /Domo answered 503 six times\. Finished windows are saved, but no scheduled run pulls a re-pull's hours again: to finish the range, invoke the re-pull again with "from" 2026-10-01T02:00:00\.000Z\.$/,
    );
    expect(new IngestRunError({ ...summary, resumeFrom: null }).message).toMatch(
      /\. Every hour of the range is saved\.$/,
    );
  });

  it('tells a re-pull refused its credentials to fix them, naming "from" only when some hours were saved', async () => {
    const summary = await runFailingAt0200({ range: { fromMs: day0, toMs: day0 + 4 * HOUR_MS } }, 3);
    const refused = (message: string, windowsDone: number) =>
      new IngestRunError({
        ...summary,
        windowsDone,
        failures: [{ windowStartMs: day0 + 2 * HOUR_MS, message }],
      }).message;
    const invalidClient =
      "Domo answered OAuth error invalid_client. Domo did not accept the id or secret of the API client 'c': check the secret.";
    expect(refused(invalidClient, 3)).toMatch(
      /No hour is read until Domo accepts the credentials: .*AWSPREVIOUS.*, then invoke the re-pull again with "from" 2026-10-01T02:00:00\.000Z\.$/,
    );
    const rejected =
      "Domo rejected the credentials of API client 'c' (POST /oauth/token: HTTP 401): check the secret.";
    expect(refused(rejected, 0)).toMatch(/, then invoke the re-pull again\.$/);
    expect(refused(rejected, 0)).not.toContain('no scheduled run pulls');
  });

  it('tells a failed scheduled run that the next run pulls the failed hours again', async () => {
    const summary = await runFailingAt0200({}, 23);
    expect(summary).toMatchObject({ mode: 'checkpoint', windowsDone: 23 });
    expect(summary.failures.map((f) => f.windowStartMs)).toEqual([day0 + 2 * HOUR_MS]);
    expect(new IngestRunError(summary).message).toMatch(
      /\. Finished windows are saved; the next run tries the rest again\.$/,
    );
  });
});
