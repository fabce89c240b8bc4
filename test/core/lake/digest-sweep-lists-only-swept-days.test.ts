/**
 * The sweep of the runs open in the chain (at a run's opening, and again before its seal) lists
 * the day partitions of their hours, not every key of the instance's tables: on a lake of 60 days
 * with one dead hour it once listed 5,762 keys, twice, for 3 GETs. Hours too many days long, or
 * with no end, are listed whole as before; and the listing stops for want of time as the GETs do.
 */
import { describe, expect, it } from 'vitest';
import { appendDigest, decodeDigest } from '../../../functions/core/lake/digest.ts';
import { DigestRecorder, SweepOutOfTimeError } from '../../../functions/core/lake/digest-recorder.ts';
import { MOST_DAYS_LISTED } from '../../../functions/core/lake/digest-sweep-keys.ts';
import {
  activityKey,
  coverageKey,
  digestKey,
  quarantineKey,
  tableDayPrefix,
  tableInstancePrefix,
} from '../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-09-01T00:00:00Z');
const days = 60;
const deadHour = day0 + 40 * DAY_MS + 13 * HOUR_MS;
const now = day0 + days * DAY_MS + 30 * 60_000;
const text = (s: string) => new TextEncoder().encode(s);
/** An object of no one hour in the dead hour's partition: the S3 console's folder marker. */
const marker = tableDayPrefix('activity_log', 'acme', deadHour);

/** 60 days of hours in the three tables, and a chain whose head is a dead run of `dead` hours. */
async function lakeWithDeadRun(dead: { fromMs: number; toMs: number | null }): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  for (let h = day0; h < day0 + days * DAY_MS; h += HOUR_MS) {
    for (const key of [activityKey, coverageKey, quarantineKey]) lake.putNow(key('acme', h), text(`${h}`));
  }
  lake.putNow(marker, new Uint8Array());
  const base = { instance: 'acme', createdAt: '2026-10-31T00:00:00Z', objects: [] };
  const head = await appendDigest(lake, {
    ...base,
    runId: 'backfill',
    sealed: true,
    fromMs: day0,
    toMs: now,
  });
  await appendDigest(lake, { ...base, head, runId: 'dead', sealed: false, ...dead });
  return lake;
}

interface Watched {
  store: ObjectStore;
  prefixes: string[];
  listed: () => number;
  gets: string[];
}

/** The lake, counting the table keys listed, the prefixes listed and the table objects read. */
function watched(lake: MemoryObjectStore, onKeyListed: () => void = () => {}): Watched {
  const prefixes: string[] = [];
  const gets: string[] = [];
  let listed = 0;
  const store: ObjectStore = {
    location: lake.location,
    get: (key) => {
      if (!key.startsWith('digest/')) gets.push(key);
      return lake.get(key);
    },
    put: (key, body, options) => lake.put(key, body, options),
    list: async function* (prefix) {
      if (!prefix.startsWith('digest/')) prefixes.push(prefix);
      for await (const key of lake.list(prefix)) {
        if (!prefix.startsWith('digest/')) {
          listed++;
          onKeyListed();
        }
        yield key;
      }
    },
  };
  return { store, prefixes, listed: () => listed, gets };
}

const recorderOn = (store: ObjectStore, remainingTimeMs?: () => number) =>
  new DigestRecorder(store, {
    instance: 'acme',
    runId: 'next',
    clock: { now: () => now },
    reserveMs: 15_000,
    ...(remainingTimeMs ? { remainingTimeMs } : {}),
  });

const dayPrefixes = (dayMs: number) =>
  (['activity_log', 'coverage', 'quarantine'] as const).map((table) => tableDayPrefix(table, 'acme', dayMs));
const instancePrefixes = (['activity_log', 'coverage', 'quarantine'] as const).map((table) =>
  tableInstancePrefix(table, 'acme'),
);

describe('the keys a sweep lists', () => {
  it('one dead hour: the partitions of its day, at the opening and before the seal', async () => {
    const lake = await lakeWithDeadRun({ fromMs: deadHour, toMs: deadHour + HOUR_MS });
    const { store, prefixes, listed, gets } = watched(lake);
    const recorder = recorderOn(store);
    recorder.begin(now - HOUR_MS);

    await recorder.put(activityKey('acme', now - 30 * 60_000 - HOUR_MS), text('new'));
    await recorder.seal();

    const dayOfDeadHour = Math.floor(deadHour / DAY_MS) * DAY_MS;
    expect(prefixes.sort()).toEqual([...dayPrefixes(dayOfDeadHour), ...dayPrefixes(dayOfDeadHour)].sort());
    // Each of the three partitions holds that day's 24 hours (and the marker), listed twice.
    expect(listed()).toBe(2 * (3 * 24 + 1));
    const deadHourKeys = [activityKey, coverageKey, quarantineKey].map((key) => key('acme', deadHour));
    expect(new Set(gets)).toEqual(new Set([...deadHourKeys, marker]));
    // The object of no one hour in a listed partition is read and recorded, as before.
    const opening = decodeDigest(
      digestKey('acme', 2),
      (await lake.get(digestKey('acme', 2)))?.body as Uint8Array,
    );
    expect(opening.objects.map((o) => `${o.how} ${o.key}`)).toContain(`read ${marker}`);
  });

  it(`hours over more than ${MOST_DAYS_LISTED} days, or with no end: the tables whole, as before`, async () => {
    for (const dead of [
      { fromMs: day0, toMs: day0 + (MOST_DAYS_LISTED + 1) * DAY_MS },
      { fromMs: deadHour, toMs: null },
    ]) {
      const lake = await lakeWithDeadRun(dead);
      const { store, prefixes } = watched(lake);
      const recorder = recorderOn(store);
      recorder.begin(now - HOUR_MS);

      await recorder.put(activityKey('acme', now - 30 * 60_000 - HOUR_MS), text('new'));

      expect(prefixes).toEqual(instancePrefixes);
    }
  });

  it('stops listing once the time is short: the opening fails with the sweep’s out-of-time error', async () => {
    const lake = await lakeWithDeadRun({ fromMs: deadHour, toMs: null });
    // Each key listed (a page, in a large lake) costs a second; 20 s left, 15 s kept to stop in.
    let remainingMs = 20_000;
    const { store, listed, gets } = watched(lake, () => {
      remainingMs -= 1_000;
    });
    const recorder = recorderOn(store, () => remainingMs);
    recorder.begin(now - HOUR_MS);

    const put = recorder.put(activityKey('acme', now - 30 * 60_000 - HOUR_MS), text('new'));

    await expect(put).rejects.toThrow(SweepOutOfTimeError);
    await expect(put).rejects.toThrow(
      /reading what they may have left began with 20 s of this run left and stopped while listing them, after 5 objects listed, 14 s before its end/,
    );
    expect(listed()).toBe(6);
    expect(gets.filter((key) => !key.startsWith('state/'))).toEqual([]);
  });
});
