import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey, tableInstancePrefix } from '../../../functions/core/lake/layout.ts';
import type { ListOptions, ObjectStore } from '../../../functions/core/ports.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review STATUS9: status lists every coverage key of a lake with neither a checkpoint nor a run
// record (filled by ranges only, or its state/ lost): 9 LIST pages a year. It is kept: both
// answers carry `hours`, the hours of the span with a manifest (the range-only note's "N hours of
// it not covered", and `status --format json`), and only every key answers that. Pinned here: one
// listing of the keys, and no manifest read outside the last 7 days.

const NOW = Date.UTC(2026, 10, 30, 10, 20);
const RANGE = { fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 28) };
/** Hours of manifests before the range, listed only (2 years). */
const OLDER_HOURS = 2 * 365 * 24;
const COVERAGE = tableInstancePrefix('coverage', 'main');

/** `lake` with its GETs, LIST calls, keys listed and S3 pages (1,000 keys) counted by prefix. */
function counted(lake: MemoryObjectStore) {
  const counts = { gets: 0, coverageGets: 0, coverageKeysListed: 0, pages: 0 };
  const store: ObjectStore = {
    location: lake.location,
    get: (key) => {
      counts.gets++;
      if (key.startsWith(COVERAGE)) counts.coverageGets++;
      return lake.get(key);
    },
    put: (key, body, options) => lake.put(key, body, options),
    async *list(prefix: string, options?: ListOptions) {
      let keys = 0;
      for await (const key of lake.list(prefix, options)) {
        keys++;
        if (key.startsWith(COVERAGE)) counts.coverageKeysListed++;
        yield key;
      }
      counts.pages += Math.max(1, Math.ceil(keys / 1000));
    },
  };
  return { store, counts };
}

let lake: MemoryObjectStore;
let rangeHours: number;

beforeAll(async () => {
  lake = new MemoryObjectStore();
  const source = new MemoryAuditSource();
  for (let t = RANGE.fromMs; t < RANGE.toMs; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
  await runIngest(quietIngestDeps(source, lake, NOW), defaultIngestConfig('main'), { range: RANGE });
  rangeHours = (RANGE.toMs - RANGE.fromMs) / HOUR_MS;
  // Older hours' keys only: status lists them and must not read them.
  const body = lake.objects.get(coverageKey('main', RANGE.fromMs));
  if (!body) throw new Error('the range wrote no manifest');
  for (let h = 1; h <= OLDER_HOURS; h++)
    lake.objects.set(coverageKey('main', RANGE.fromMs - h * HOUR_MS), body);
}, 60_000);

describe('status of a range-only lake of years', () => {
  it('lists the coverage keys once and reads the manifests of the last 7 days only', async () => {
    const { store, counts } = counted(lake);
    const status = await readInstanceStatus(store, 'main', {
      nowMs: NOW,
      lagHours: 3,
      reportTimeZone: 'UTC',
    });
    expect(status.rangeOnly).toEqual({
      fromMs: RANGE.fromMs - OLDER_HOURS * HOUR_MS,
      toMs: RANGE.toMs,
      hours: OLDER_HOURS + rangeHours,
    });
    expect(status.missingHours).toBe(0);
    const total = OLDER_HOURS + rangeHours;
    // The whole listing once, and at most the 7 days' (by day prefix) again.
    expect(counts.coverageKeysListed).toBeGreaterThanOrEqual(total);
    expect(counts.coverageKeysListed).toBeLessThanOrEqual(total + 8 * 24);
    expect(counts.coverageGets).toBeLessThanOrEqual(7 * 24);
    // 18 pages of coverage keys; the rest is the state, markers and the chain's head.
    expect(counts.pages).toBeLessThan(Math.ceil(total / 1000) + 40);
  });

  it('answers as a lake of the range alone, bar the span (the hours listed only are read nowhere else)', async () => {
    const only = new MemoryObjectStore();
    for (const [key, value] of lake.objects) {
      const hour = /dt=(\d{4}-\d{2}-\d{2})\/(\d{2})/.exec(key);
      const older =
        key.startsWith(COVERAGE) && hour && Date.parse(`${hour[1]}T${hour[2]}:00:00Z`) < RANGE.fromMs;
      if (!older) only.objects.set(key, value);
    }
    const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };
    const [long, short] = await Promise.all([
      readInstanceStatus(lake, 'main', options),
      readInstanceStatus(only, 'main', options),
    ]);
    expect(short.rangeOnly).toEqual({ ...RANGE, hours: rangeHours });
    expect({ ...long, rangeOnly: null, firstHourMs: null }).toEqual({
      ...short,
      rangeOnly: null,
      firstHourMs: null,
    });
  });
});
