import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage } from '../../../functions/core/lake/coverage.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const range = { fromMs: hour, toMs: hour + HOUR_MS };
const config = { ...defaultIngestConfig('acme'), concurrency: 1 };

/**
 * A re-pull of an hour that finds a late event, whose puts of the hour's events and manifest land
 * but are answered 412 (S3 lost the answer; the SDK's retry met the object it had just written).
 */
async function rePullAnswered412(...keys: string[]) {
  const store = new Landed412Store();
  const source = new MemoryAuditSource([viewEntry(hour + 60_000, 1)]);
  await runIngest(quietIngestDeps(source, store, hour + 2 * HOUR_MS), config, { range });
  source.add(viewEntry(hour + 120_000, 2));
  store.arm(...keys);
  const summary = await runIngest(quietIngestDeps(source, store, hour + 3 * HOUR_MS), config, { range });
  expect(store.landed412).toEqual(keys);
  return { summary, manifest: await readCoverage(store, 'acme', hour) };
}

describe('the puts of a pulled hour that land, answered 412', () => {
  it('count the late event the events put added: not lost as if another run had added it', async () => {
    const { summary, manifest } = await rePullAnswered412(activityKey('acme', hour));
    expect(summary).toMatchObject({ windowsFailed: 0, eventsWritten: 1, lateEvents: 1 });
    expect(manifest).toMatchObject({ event_count: 2, late_events: 1, late_events_total: 1 });
  });

  it('write the manifest once: the pull and its late event are not counted twice', async () => {
    const { summary, manifest } = await rePullAnswered412(coverageKey('acme', hour));
    expect(summary).toMatchObject({ windowsFailed: 0, eventsWritten: 1, lateEvents: 1 });
    expect(manifest).toMatchObject({ event_count: 2, fetch_count: 2, late_events: 1, late_events_total: 1 });
  });
});
