import { beforeEach, describe, expect, it } from 'vitest';
import { readCheckpointMarks } from '../../../functions/core/lake/checkpoint-marks.ts';
import { futureHoursFrom } from '../../../functions/core/lake/future-hours.ts';
import { activityKey, coverageKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import { wholeLakeRange } from '../../../functions/core/lake/whole-lake-range.ts';
import type { StoredObject } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { SIX_HOUR_LAKE_NOW, SIX_HOUR_LAKE_START, sixHourLake } from '../../support/six-hour-lake.ts';

// Review R-VERIFY4 (1): a copy of a real hour's events object put under an hour 16 days ahead
// passed plain verify (nothing listed past the range was looked at), while DuckDB read it, Athena
// would once its date came, and the ingest pulling that hour would keep its records as Domo's.

const hour = (n: number) => SIX_HOUR_LAKE_START + n * HOUR_MS;
/** An hour 16 days ahead of the lake's ingest, and the next hour, the first not begun then. */
const FAR = hour(16 * 24 + 2);
const NEXT = hour(7);

let lake: MemoryObjectStore;
let read: string[];
const body = (key: string) => (lake.objects.get(key) as StoredObject).body;
beforeEach(async () => {
  lake = await sixHourLake();
  read = [];
  const get = lake.get.bind(lake);
  lake.get = (key) => {
    read.push(key);
    return get(key);
  };
});

/** Copies of hour 2's events and manifest 16 days ahead, and of its events as next hour's quarantine. */
function plantCopies(): string[] {
  const planted = [activityKey('acme', FAR), coverageKey('acme', FAR), quarantineKey('acme', NEXT)];
  lake.putNow(planted[0] as string, body(activityKey('acme', hour(2))));
  lake.putNow(planted[1] as string, body(coverageKey('acme', hour(2))));
  lake.putNow(planted[2] as string, body(activityKey('acme', hour(2))));
  return planted;
}

describe('verify finds the objects of hours that have not begun', () => {
  it('lists each one, of every table, fails, and reads none of them', async () => {
    const planted = plantCopies();
    const report = await verifyLake(lake, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW });
    expect(report.futureFromMs).toBe(NEXT);
    expect(report.futureObjectCount).toBe(3);
    expect(report.futureObjects).toEqual([
      { key: planted[0], windowStartMs: FAR },
      { key: planted[1], windowStartMs: FAR },
      { key: planted[2], windowStartMs: NEXT },
    ]);
    expect(report.ok).toBe(false);
    expect(read.filter((key) => planted.includes(key))).toEqual([]);
    // The manifest 16 days ahead does not stretch the check: no hour up to it is a gap to re-pull.
    expect(report).toMatchObject({ toMs: hour(6), gaps: [] });
    expect(report.windowsCovered).toBe(report.windowsExpected);
  });

  it('finds them with --integrity too, beside its own findings of the same keys', async () => {
    const planted = plantCopies();
    const report = await verifyWithIntegrity(lake, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW });
    expect(report.futureObjects.map((f) => f.key)).toEqual(planted);
    expect(report.ok).toBe(false);
  });

  it('names a file that is no hour object in a folder of a day not begun', async () => {
    const stray = `activity_log/instance=acme/dt=2026-10-17/extra.ndjson.gz`;
    lake.putNow(stray, body(activityKey('acme', hour(2))));
    const report = await verifyLake(lake, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW });
    expect(report).toMatchObject({ ok: false, foreignKeys: [stray], futureObjectCount: 0 });
  });

  it('finds them in a lake that holds no other hour', async () => {
    const empty = new MemoryObjectStore();
    empty.putNow(coverageKey('acme', FAR), body(coverageKey('acme', hour(2))));
    const report = await verifyLake(empty, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW });
    expect(report).toMatchObject({ fromMs: null, futureObjectCount: 1, ok: false });
  });

  it('leaves the current hour and the hours after the watermark to the runs that write them', async () => {
    // Three hours later, no run since: hours 6-8 closed after the watermark (a run stopped midway
    // writes those), hour 9 is the current one (a writer whose clock is ahead may have closed it).
    const now = SIX_HOUR_LAKE_NOW + 3 * HOUR_MS;
    for (const n of [7, 9]) lake.putNow(activityKey('acme', hour(n)), body(activityKey('acme', hour(2))));
    lake.putNow(coverageKey('acme', hour(9)), body(coverageKey('acme', hour(2))));
    const report = await verifyLake(lake, 'acme', undefined, { nowMs: now });
    expect(report.futureFromMs).toBe(hour(10));
    expect(report.futureObjectCount).toBe(0);
  });

  it('judges an hour not begun from the start of the next hour on', () => {
    expect(futureHoursFrom(hour(6))).toBe(hour(7));
    expect(futureHoursFrom(hour(7) - 1)).toBe(hour(7));
    expect(futureHoursFrom(SIX_HOUR_LAKE_NOW + DAY_MS)).toBe(hour(31));
  });
});

// Review R-AHEAD2 (1): a file named for an hour not begun passed verify when its day folder was
// none the check looked at (an old day's, or one between the watermark and now on a lake whose
// ingest is behind), while a query of the whole lake reads it.
describe('verify names the stray files of days it does not check', () => {
  const FAR_NAME = '2026-10-17T02.ndjson.gz';

  it('takes a file named for an hour not begun as one of its objects, in any day folder', async () => {
    const old = `activity_log/instance=acme/dt=2020-01-01/${FAR_NAME}`;
    lake.putNow(old, body(activityKey('acme', hour(2))));
    const found = { ok: false, futureObjects: [{ key: old, windowStartMs: FAR }], foreignKeyCount: 0 };
    expect(await verifyLake(lake, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW })).toMatchObject(found);
    // A range asked for names it too: the listing reaches it anyway.
    const range = { fromMs: hour(2), toMs: hour(4) };
    expect(await verifyLake(lake, 'acme', range, { nowMs: SIX_HOUR_LAKE_NOW })).toMatchObject(found);
  });

  it('does so in the day after the watermark of a lake whose ingest is behind', async () => {
    // Two days on, no run since: the check ends at the watermark, the first hour not begun is on
    // the day after next; the day between is none of those.
    const now = SIX_HOUR_LAKE_NOW + 2 * DAY_MS;
    const between = `quarantine/instance=acme/dt=2026-10-02/${FAR_NAME}`;
    lake.putNow(between, body(activityKey('acme', hour(2))));
    const report = await verifyLake(lake, 'acme', undefined, { nowMs: now });
    expect(report).toMatchObject({ toMs: hour(6), futureObjects: [{ key: between }], ok: false });
  });

  it('names every other stray file of the whole lake, and those of the days checked of a range', async () => {
    const before = 'activity_log/instance=acme/dt=2020-01-01/extra.ndjson.gz';
    const misdated = 'coverage/instance=acme/dt=2020-01-01/2026-10-01T02.json';
    lake.putNow(before, body(activityKey('acme', hour(2))));
    lake.putNow(misdated, body(coverageKey('acme', hour(2))));
    const nowMs = SIX_HOUR_LAKE_NOW;
    const strays = { ok: false, foreignKeys: [misdated, before].sort(), futureObjectCount: 0 };
    const whole = await verifyLake(lake, 'acme', undefined, { nowMs });
    expect({ ...whole, foreignKeys: [...whole.foreignKeys].sort() }).toMatchObject(strays);
    // As the CLI calls it: the whole lake's bounds read first, then handed over.
    const bounds = await wholeLakeRange(lake, 'acme', await readCheckpointMarks(lake, 'acme'), nowMs);
    const handed = await verifyLake(lake, 'acme', bounds, { nowMs });
    expect(handed.foreignKeyCount).toBe(2);
    // A range asked for is about its days: a stray file of another day is not its finding.
    const ranged = await verifyLake(lake, 'acme', { fromMs: hour(0), toMs: hour(6) }, { nowMs });
    expect(ranged).toMatchObject({ ok: true, foreignKeyCount: 0 });
  });

  it('names the stray files of a lake that holds no hour', async () => {
    const empty = new MemoryObjectStore();
    const stray = 'activity_log/instance=acme/dt=2020-01-01/extra.ndjson.gz';
    empty.putNow(stray, body(activityKey('acme', hour(2))));
    const report = await verifyLake(empty, 'acme', undefined, { nowMs: SIX_HOUR_LAKE_NOW });
    expect(report).toMatchObject({ fromMs: null, foreignKeys: [stray], ok: false });
  });
});
