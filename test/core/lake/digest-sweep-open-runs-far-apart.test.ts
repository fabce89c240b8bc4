/**
 * The sweep at a run's opening reads the hours of the runs still open in the chain: each run's
 * hours, not one range from the earliest start to the latest end. A dead re-pull of one day of
 * 2019 beside an unsealed run of today once had the sweep read seven years for 27 hours pulled.
 */
import { describe, expect, it } from 'vitest';
import { appendDigest } from '../../../functions/core/lake/digest.ts';
import { mergeHours, openRunsHours } from '../../../functions/core/lake/digest-open-runs.ts';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const repullFrom = Date.parse('2019-03-01T00:00:00Z');
const repullTo = Date.parse('2019-03-02T00:00:00Z');
const scheduledFrom = Date.parse('2026-11-30T20:00:00Z');
const scheduledTo = Date.parse('2026-11-30T23:00:00Z');
const base = { instance: 'acme', createdAt: '2026-12-01T00:00:00Z', objects: [] };

/** A chain whose head leaves open a dead re-pull of 2019 and a scheduled run of today. */
async function chainWithTwoOpenRuns(lake: ObjectStore): Promise<number> {
  let head = await appendDigest(lake, { ...base, runId: 'old', sealed: true, fromMs: 0, toMs: HOUR_MS });
  head = await appendDigest(lake, {
    ...base,
    head,
    runId: 'repull-2019',
    sealed: false,
    fromMs: repullFrom,
    toMs: repullTo,
  });
  head = await appendDigest(lake, {
    ...base,
    head,
    runId: 'scheduled',
    sealed: false,
    fromMs: scheduledFrom,
    toMs: scheduledTo,
  });
  return head.sequence;
}

describe('the hours of the runs open at the head', () => {
  it('are each open run’s hours, not every hour between the earliest and the latest', async () => {
    const lake = new MemoryObjectStore();
    const head = await chainWithTwoOpenRuns(lake);

    expect(await openRunsHours(lake, 'acme', head)).toEqual([
      { fromMs: repullFrom, toMs: repullTo },
      { fromMs: scheduledFrom, toMs: scheduledTo },
    ]);
  });

  it('merge where they overlap or touch, and a missing bound stays unbounded', () => {
    const h = (n: number) => n * HOUR_MS;
    expect(
      mergeHours([
        { fromMs: h(10), toMs: h(12) },
        { fromMs: h(0), toMs: h(2) },
        { fromMs: h(2), toMs: h(3) },
        { fromMs: h(11), toMs: h(14) },
        { fromMs: h(20), toMs: null },
        { fromMs: h(30), toMs: h(31) },
      ]),
    ).toEqual([
      { fromMs: h(0), toMs: h(3) },
      { fromMs: h(10), toMs: h(14) },
      { fromMs: h(20), toMs: null },
    ]);
    expect(
      mergeHours([
        { fromMs: h(5), toMs: h(6) },
        { fromMs: null, toMs: h(1) },
      ]),
    ).toEqual([
      { fromMs: null, toMs: h(1) },
      { fromMs: h(5), toMs: h(6) },
    ]);
  });

  it('are all the opening sweep reads: no object of the years between them', async () => {
    const lake = new MemoryObjectStore();
    await chainWithTwoOpenRuns(lake);
    const repulled = activityKey('acme', repullFrom + 5 * HOUR_MS);
    const between = activityKey('acme', Date.parse('2022-06-01T12:00:00Z'));
    const scheduled = activityKey('acme', scheduledFrom + HOUR_MS);
    for (const key of [repulled, between, scheduled]) lake.putNow(key, new TextEncoder().encode(key));
    const read: string[] = [];
    const counting: ObjectStore = {
      location: lake.location,
      get: (key) => {
        if (key.startsWith('activity_log/')) read.push(key);
        return lake.get(key);
      },
      put: (key, body, options) => lake.put(key, body, options),
      list: (prefix) => lake.list(prefix),
    };
    const recorder = new DigestRecorder(counting, {
      instance: 'acme',
      runId: 'next',
      clock: { now: () => Date.parse('2026-12-01T01:00:00Z') },
    });
    recorder.begin(scheduledTo);

    await recorder.put(activityKey('acme', scheduledTo), new TextEncoder().encode('new'));

    expect(read.sort()).toEqual([repulled, scheduled]);
  });
});
