/**
 * A first run asked to start at a time (`alerts --since`) raises nothing of events before it, and
 * neither do the runs after it: the checkpoint keeps the bound (`raise_from_ms`). Without it, a
 * re-pull of hours before the start sent their lockouts as "arrived late", and a recheck of an
 * hour before it (a late event the lookback found) sent its alerts (review R-ALERTS2, item 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { firstLakeHour } from '../../../functions/core/alerts/lake-hours.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  LATE_LAKE_FROM,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
} from './support/alert-fixtures.ts';
import { lateLakeAlerts, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;
const STEP = LATE_LAKE_STEP;

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

const named = (channel: RecordingChannel, name: string) =>
  channel.delivered.filter((a) => a.user_name?.startsWith(`${name} `));

describe('a first run asked to start at a time', () => {
  it('sends no late lockout of a re-pulled hour before it; one after it, marked late', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = lateLakeAlerts(store, channel);
    const first = (await firstLakeHour(store, 'default')) ?? LATE_LAKE_FROM;
    // Asked to start a day after the lake's first hour, at twenty past.
    const since = first + 24 * HOUR_MS + 20 * MIN;
    await alerts(STEP + 5 * MIN, since);
    // A lockout at half past each hour from the lake's first to the start's own (after the start).
    await rePullLockouts(lake, store, { first, hours: 25 }, { id: 'b', name: 'Re-pulled' });
    await lake.ingest(STEP + HOUR_MS, store);
    await alerts(STEP + HOUR_MS + 5 * MIN);
    const sent = named(channel, 'Re-pulled');
    expect(sent.map((a) => a.user_name)).toEqual(['Re-pulled 24']);
    expect(sent[0]?.evidence).toMatch(/arrived late: stored after its hour had been evaluated$/);
  }, 120_000);

  it('sends nothing of an hour before it that a later run rechecks', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = lateLakeAlerts(store, channel);
    // The watermark is 10:00: asked to start at 09:00, the first run rechecks 07:00-09:00 too.
    await alerts(STEP + 5 * MIN, Date.parse('2026-11-03T09:00:00Z'));
    const eight = Date.parse('2026-11-03T08:00:00Z');
    await rePullLockouts(lake, store, { first: eight, hours: 2 }, { id: 'r', name: 'Recheck' });
    await lake.ingest(STEP + HOUR_MS, store);
    await alerts(STEP + HOUR_MS + 5 * MIN);
    // 08:30 is before the start, 09:30 after it (rechecked, so not marked late).
    expect(named(channel, 'Recheck').map((a) => a.user_name)).toEqual(['Recheck 1']);
  }, 120_000);
});
