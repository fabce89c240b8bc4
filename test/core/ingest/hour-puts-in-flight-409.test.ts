import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { InFlight409Store } from '../../support/in-flight-409-store.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const range = { fromMs: hour, toMs: hour + HOUR_MS };
const config = { ...defaultIngestConfig('acme'), concurrency: 1 };

/**
 * A re-pull of an hour that finds a late event, whose put of `key` is answered 409 while its first
 * attempt is in flight; that attempt lands after `landAfterGets` GETs of the key (the digest
 * recorder's read-back, the update's re-read, then its next read).
 */
async function rePullInFlight(key: string, landAfterGets: number) {
  const store = new InFlight409Store();
  const source = new MemoryAuditSource([viewEntry(hour + 60_000, 1)]);
  await runIngest(quietIngestDeps(source, store, hour + 2 * HOUR_MS), config, { range });
  source.add(viewEntry(hour + 120_000, 2));
  store.arm(key, landAfterGets);
  const summary = await runIngest(quietIngestDeps(source, store, hour + 3 * HOUR_MS), config, { range });
  expect(store.conflicted).toEqual([key]);
  return { summary, manifest: await readCoverage(store, 'acme', hour) };
}

describe('the puts of a pulled hour answered 409 while their first attempt is in flight', () => {
  for (const landAfterGets of [1, 2, 3]) {
    for (const [what, key] of [
      ['count the late event the events put added', activityKey('acme', hour)],
      ['write the manifest once', coverageKey('acme', hour)],
    ] as const) {
      it(`${what} (it lands after ${landAfterGets} GETs)`, async () => {
        const { summary, manifest } = await rePullInFlight(key, landAfterGets);
        expect(summary).toMatchObject({ windowsFailed: 0, eventsWritten: 1, lateEvents: 1 });
        expect(manifest).toMatchObject({
          event_count: 2,
          fetch_count: 2,
          late_events: 1,
          late_events_total: 1,
        });
      });
    }
  }
});
