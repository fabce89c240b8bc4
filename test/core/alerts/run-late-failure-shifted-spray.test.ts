/**
 * A late failure inside a password spray's window, found by a recheck, moves the failure that
 * raises the spray: the spray's id (its window's failures) changes, and it went out a second time
 * for the same attack (review R-ALERTS2, item 4). Sprays taken in are now recorded in the
 * checkpoint as bursts are (by address, when raised), and one raised again in the same episode
 * (no lull between) is recognised as already sent; a new spray after a lull still goes out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import type { MemoryEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
} from './support/alert-fixtures.ts';
import { lateLakeAlerts, rePullServing } from './support/late-repull.ts';

const MIN = 60_000;
const STEP = LATE_LAKE_STEP;
/** An hour the recheck window (the 3 hours before 10:00) looks at again. */
const HOUR = Date.parse('2026-11-03T08:00:00Z');
const IP = '203.0.113.77';

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

/** A failed login of user `sp<u>` from IP at `at`. */
const failure = (u: number, at: number): MemoryEntry => ({
  timeMs: at,
  entry: {
    actionType: 'LOGIN_FAILED',
    eventText: 'Login failed',
    userId: `sp${u}`,
    userName: `Sprayed ${u}`,
    time: at,
    ipAddress: IP,
  },
});

/** Ten users failing from IP, one each 30 s from 08:20 (the tenth raises the spray at 08:24:30). */
const spray = (fromMs: number, first = 1) =>
  Array.from({ length: 10 }, (_, k) => failure(first + k, fromMs + k * 30_000));

/** A re-pull of HOUR at `nowMs` while Domo serves `entries` too. */
const rePull = (store: MemoryObjectStore, entries: MemoryEntry[], nowMs: number) =>
  rePullServing(lake, store, HOUR, entries, nowMs);

describe('a late failure inside a password spray sent already', () => {
  it('does not send the spray again; a spray after a lull does go out', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = lateLakeAlerts(store, channel);
    await alerts(STEP + 5 * MIN);
    const sprays = () => channel.delivered.filter((a) => a.kind === 'password_spray' && a.ip_address === IP);
    const onTime = spray(HOUR + 20 * MIN);
    await rePull(store, onTime, STEP + 10 * MIN);
    await alerts(STEP + 11 * MIN);
    expect(sprays()).toHaveLength(1);
    const stored = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
    expect(Object.values(stored?.sprays ?? {})).toEqual([[HOUR + 20 * MIN + 9 * 30_000]]);
    // A failure of an eleventh user at 08:18, served late: the ninth user now raises it.
    await rePull(store, [...onTime, failure(0, HOUR + 18 * MIN)], STEP + 20 * MIN);
    await alerts(STEP + 21 * MIN);
    expect(sprays()).toHaveLength(1);
    // Ten more users from 08:45, after a lull (no failure from the address for 20 minutes).
    await rePull(
      store,
      [...onTime, failure(0, HOUR + 18 * MIN), ...spray(HOUR + 45 * MIN, 20)],
      STEP + 30 * MIN,
    );
    await alerts(STEP + 31 * MIN);
    expect(sprays().map((a) => a.event_time_ms)).toEqual([
      HOUR + 20 * MIN + 9 * 30_000,
      HOUR + 45 * MIN + 9 * 30_000,
    ]);
  }, 120_000);
});
