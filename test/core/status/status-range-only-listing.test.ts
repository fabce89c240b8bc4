import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey, tableInstancePrefix, windowStartFromKey } from '../../../functions/core/lake/layout.ts';
import type { ListOptions, ObjectStore } from '../../../functions/core/ports.ts';
import { COUNTED_KEYS } from '../../../functions/core/status/held-span.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Review STATUS9: status listed every coverage key of a lake with neither a checkpoint nor a run
// record (filled by ranges only, or its state/ lost): 9 LIST pages a year, kept for `hours`, the
// hours of the span with a manifest. CFGSTATUS (2026-12-07) bounded it: the first 1,000 keys count
// the hours of a lake that has no more; past them the last hour is searched for (a LIST of a key
// per halved span of days) and the hours are not counted. No manifest is read outside the last 7
// days either way.

const NOW = Date.UTC(2026, 10, 30, 10, 20);
const RANGE = { fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 28) };
/** Hours of manifests before the range, listed only (2 years). */
const OLDER_HOURS = 2 * 365 * 24;
const COVERAGE = tableInstancePrefix('coverage', 'main');

/** `lake` with its GETs, and its LIST calls and keys listed under the coverage prefix, counted. */
function counted(lake: MemoryObjectStore) {
  const counts = { gets: 0, coverageGets: 0, coverageKeysListed: 0, coverageLists: 0 };
  const store: ObjectStore = {
    location: lake.location,
    get: (key) => {
      counts.gets++;
      if (key.startsWith(COVERAGE)) counts.coverageGets++;
      return lake.get(key);
    },
    put: (key, body, options) => lake.put(key, body, options),
    async *list(prefix: string, options?: ListOptions) {
      if (prefix.startsWith(COVERAGE)) counts.coverageLists++;
      for await (const key of lake.list(prefix, options)) {
        if (key.startsWith(COVERAGE)) counts.coverageKeysListed++;
        yield key;
      }
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

const OPTIONS = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };

describe('status of a range-only lake of years', () => {
  it('lists a bounded part of the coverage keys, finds the span, and reads the last 7 days only', async () => {
    const { store, counts } = counted(lake);
    const status = await readInstanceStatus(store, 'main', OPTIONS);
    // The hours are not counted: that took every key.
    expect(status.rangeOnly).toEqual({ fromMs: RANGE.fromMs - OLDER_HOURS * HOUR_MS, toMs: RANGE.toMs });
    expect(status.missingHours).toBe(0);
    const total = OLDER_HOURS + rangeHours;
    expect(total).toBeGreaterThan(10 * COUNTED_KEYS);
    // The first page, the 8 days of the status window, the last day held and a key a search step.
    expect(counts.coverageKeysListed).toBeLessThanOrEqual(COUNTED_KEYS + 1 + 8 * 24 + 24 + 20);
    expect(counts.coverageLists).toBeLessThanOrEqual(1 + 8 + 1 + 14 + 2);
    expect(counts.coverageGets).toBeLessThanOrEqual(7 * 24);
  });

  it('ends the span at the last hour held, past a manifest of an hour not begun and stray keys', async () => {
    const forged = new MemoryObjectStore();
    for (const [key, value] of lake.objects) forged.objects.set(key, value);
    const body = lake.objects.get(coverageKey('main', RANGE.fromMs));
    if (!body) throw new Error('the range wrote no manifest');
    forged.objects.set(coverageKey('main', NOW + 3 * DAY_MS), body);
    forged.objects.set(`${COVERAGE}dt=2026-11-29/notes.json`, body);
    forged.objects.set(`${COVERAGE}zz/old.json`, body);
    const status = await readInstanceStatus(forged, 'main', OPTIONS);
    expect(status.rangeOnly).toEqual({ fromMs: RANGE.fromMs - OLDER_HOURS * HOUR_MS, toMs: RANGE.toMs });
  });

  it('counts the hours of a lake of up to 1,000 keys, a gap inside its span too', async () => {
    const small = new MemoryObjectStore();
    for (const [key, value] of lake.objects) {
      const at = windowStartFromKey(key) ?? Number.POSITIVE_INFINITY;
      if (!key.startsWith(COVERAGE) || at >= RANGE.toMs - COUNTED_KEYS * HOUR_MS)
        small.objects.set(key, value);
    }
    small.objects.delete(coverageKey('main', RANGE.fromMs + 5 * HOUR_MS));
    const status = await readInstanceStatus(small, 'main', OPTIONS);
    expect(status.rangeOnly).toEqual({
      fromMs: RANGE.toMs - COUNTED_KEYS * HOUR_MS,
      toMs: RANGE.toMs,
      hours: COUNTED_KEYS - 1,
    });
  });

  // REVIEW89: the last day held is listed whole; a forged hour later that day stretched the span.
  it('ends the span at the last hour held, past a manifest of an hour not begun the same day', async () => {
    const forged = new MemoryObjectStore();
    for (const [key, value] of lake.objects) forged.objects.set(key, value);
    const body = lake.objects.get(coverageKey('main', RANGE.fromMs));
    if (!body) throw new Error('the range wrote no manifest');
    const today = Date.UTC(2026, 10, 30);
    forged.objects.set(coverageKey('main', today + 8 * HOUR_MS), body);
    forged.objects.set(coverageKey('main', today + 22 * HOUR_MS), body);
    const status = await readInstanceStatus(forged, 'main', OPTIONS);
    expect(status.rangeOnly).toEqual({
      fromMs: RANGE.fromMs - OLDER_HOURS * HOUR_MS,
      toMs: today + 9 * HOUR_MS,
    });
  });

  // STATUS10 (2026-12-07): the forged key, listed 1,001st, passed the cap, and the 1,000 real
  // hours were left uncounted ("too many hours to count here").
  it('counts the hours of 1,000 keys beside a forged manifest of an hour far off, in one LIST', async () => {
    const small = new MemoryObjectStore();
    for (const [key, value] of lake.objects) {
      const at = windowStartFromKey(key) ?? Number.POSITIVE_INFINITY;
      if (!key.startsWith(COVERAGE) || at >= RANGE.toMs - COUNTED_KEYS * HOUR_MS)
        small.objects.set(key, value);
    }
    const body = lake.objects.get(coverageKey('main', RANGE.fromMs));
    if (!body) throw new Error('the range wrote no manifest');
    small.objects.set(coverageKey('main', Date.UTC(2999, 0, 1)), body);
    const { store, counts } = counted(small);
    const status = await readInstanceStatus(store, 'main', OPTIONS);
    expect(status.rangeOnly).toEqual({
      fromMs: RANGE.toMs - COUNTED_KEYS * HOUR_MS,
      toMs: RANGE.toMs,
      hours: COUNTED_KEYS,
    });
    // The listing of the hours held (one page), and the status window's 8 days.
    expect(counts.coverageLists).toBeLessThanOrEqual(1 + 8);
  });

  it('answers as a lake of the range alone, bar the span (the hours listed only are read nowhere else)', async () => {
    const only = new MemoryObjectStore();
    for (const [key, value] of lake.objects) {
      const older = key.startsWith(COVERAGE) && (windowStartFromKey(key) ?? RANGE.fromMs) < RANGE.fromMs;
      if (!older) only.objects.set(key, value);
    }
    const [long, short] = await Promise.all([
      readInstanceStatus(lake, 'main', OPTIONS),
      readInstanceStatus(only, 'main', OPTIONS),
    ]);
    expect(short.rangeOnly).toEqual({ ...RANGE, hours: rangeHours });
    expect({ ...long, rangeOnly: null, firstHourMs: null }).toEqual({
      ...short,
      rangeOnly: null,
      firstHourMs: null,
    });
  });
});
