/**
 * The old rewritten hours the alerts checkpoint keeps to look at for late lockouts send each late
 * lockout once: when two runs overlap during a carry-over (both look at the same hours), when a
 * run dies after its checkpoint write and before archiving and delivering, or after delivering and
 * before the checkpoint records it, and when the same hours are re-pulled again. Past the most hours it keeps, the oldest are dropped with a warning.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { MAX_LATE_HOURS_PER_RUN } from '../../../functions/core/alerts/evaluate-hours.ts';
import {
  LATE_POSITION_SLACK,
  MAX_KEPT_LATE_HOURS,
  mergeLateHours,
  positionDue,
} from '../../../functions/core/alerts/pending-late-hours.ts';
import { alertsPrefix, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { type Log, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { LATE_LAKE_STEP, lateEventsLake, type MemoryLake } from './support/alert-fixtures.ts';
import { alertsUpToDate, rePullLockouts } from './support/late-repull.ts';
import { overlapTwoRuns } from './support/overlapping-runs.ts';

const MIN = 60_000;
const STEP = LATE_LAKE_STEP;
const HOURS = MAX_LATE_HOURS_PER_RUN + 2;

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

/** A store up to date with its alerts at STEP, then a re-pull of HOURS old hours, a lockout each. */
async function rePulled(name: string, log: Log = silentLog) {
  const { store, channel, alerts, first } = await alertsUpToDate(ingested, log);
  await rePullLockouts(lake, store, { first, hours: HOURS }, { id: name, name });
  await lake.ingest(STEP + HOUR_MS, store);
  const sent = () => channel.delivered.filter((a) => a.user_name?.startsWith(`${name} `));
  return { store, channel, alerts, first, sent };
}

/** Each of `alerts` once, and `count` of them. */
function expectOnceEach(alerts: readonly { id: string }[], count: number): void {
  expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
  expect(alerts).toHaveLength(count);
}

describe('late lockouts of the hours the checkpoint keeps, once', () => {
  it('two runs overlapping during a carry-over', async () => {
    const { store, alerts, sent } = await rePulled('Overlap');
    // The overlap that once sent an alert twice (overlapping-runs.ts).
    await overlapTwoRuns(
      store,
      () => alerts(STEP + HOUR_MS + 5 * MIN),
      () => alerts(STEP + HOUR_MS + 6 * MIN),
    );
    expectOnceEach(sent(), MAX_LATE_HOURS_PER_RUN);
    // The two hours both left go out in the next run, and nothing is kept after it.
    await lake.ingest(STEP + 2 * HOUR_MS, store);
    await alerts(STEP + 2 * HOUR_MS + 5 * MIN);
    expectOnceEach(sent(), HOURS);
    expect((await readAlertCheckpoint(store, 'default'))?.checkpoint.late_hours).toBeUndefined();
  }, 120_000);

  it('a run that dies after its checkpoint write, before archiving and delivering', async () => {
    const { store, first, alerts, sent } = await rePulled('Crash');
    store.beforePut = (key) => {
      if (!key.startsWith(alertsPrefix('default'))) return;
      store.beforePut = undefined;
      throw new Error('the run died before archiving');
    };
    await expect(alerts(STEP + HOUR_MS + 5 * MIN)).rejects.toThrow(/died/);
    expect(sent()).toEqual([]);
    await lake.ingest(STEP + 2 * HOUR_MS, store);
    await alerts(STEP + 2 * HOUR_MS + 5 * MIN);
    expectOnceEach(sent(), HOURS);
    // The same hours re-pulled again: looked at again, nothing sent again.
    await rePullLockouts(
      lake,
      store,
      { first, hours: HOURS, nowMs: STEP + 3 * HOUR_MS },
      {
        id: 'Crash',
        name: 'Crash',
      },
    );
    for (let h = 3; h <= 4; h++) {
      await lake.ingest(STEP + h * HOUR_MS, store);
      await alerts(STEP + h * HOUR_MS + 5 * MIN);
    }
    expectOnceEach(sent(), HOURS);
  }, 120_000);

  it('a run that dies after delivering, before its checkpoint records it', async () => {
    const { store, channel, alerts, sent } = await rePulled('Sent');
    // The checkpoint write after the message went out (the settle) never happens.
    const deliver = channel.deliver.bind(channel);
    let delivered = false;
    channel.deliver = async (message) => {
      const receipt = await deliver(message);
      delivered = true;
      return receipt;
    };
    store.beforePut = (key) => {
      if (!delivered || key !== alertsStateKey('default', 'checkpoint.json')) return;
      store.beforePut = undefined;
      throw new Error('the run died after delivering');
    };
    await expect(alerts(STEP + HOUR_MS + 5 * MIN)).rejects.toThrow(/died/);
    const died = sent();
    expect(died).toHaveLength(MAX_LATE_HOURS_PER_RUN);
    // Later runs (the claim stale by the last): the two hours left go out, nothing twice but the
    // died run's, whose outcome was not recorded: sent again, marked as a possible repeat.
    for (let h = 2; h <= 3; h++) {
      await lake.ingest(STEP + h * HOUR_MS, store);
      await alerts(STEP + h * HOUR_MS + 5 * MIN);
    }
    const repeats = new Set(channel.messages.flatMap((m) => m.possibleRepeat?.alertIds ?? []));
    expect([...repeats].sort()).toEqual(died.map((a) => a.id).sort());
    const firstSends = channel.messages.flatMap((m) => {
      const again = new Set(m.possibleRepeat?.alertIds ?? []);
      return m.alerts.filter((a) => !again.has(a.id) && a.user_name?.startsWith('Sent '));
    });
    expectOnceEach(firstSends, HOURS);
  }, 120_000);

  it(`keeps at most ${MAX_KEPT_LATE_HOURS} hours, warning of the oldest it drops`, async () => {
    const warnings: { message: string; fields: unknown }[] = [];
    const log: Log = { ...silentLog, warn: (message, fields) => warnings.push({ message, fields }) };
    const { store, first, alerts, sent } = await rePulled('Kept', log);
    // A checkpoint that already keeps as many older hours as it may, the run's 48 more.
    const key = alertsStateKey('default', 'checkpoint.json');
    const stored = await readAlertCheckpoint(store, 'default');
    if (!stored) throw new Error('no alerts checkpoint');
    const kept = MAX_KEPT_LATE_HOURS + MAX_LATE_HOURS_PER_RUN;
    const oldest = first - (kept + HOURS) * HOUR_MS;
    stored.checkpoint.late_hours = Object.fromEntries(
      Array.from({ length: kept }, (_, k) => [String(oldest + k * HOUR_MS), 0]),
    );
    store.putNow(key, new TextEncoder().encode(JSON.stringify(stored.checkpoint)));
    await alerts(STEP + HOUR_MS + 5 * MIN);
    // The newest hours are looked at first: the re-pulled ones (48 of 50) before the planted.
    expectOnceEach(sent(), MAX_LATE_HOURS_PER_RUN);
    const after = (await readAlertCheckpoint(store, 'default'))?.checkpoint.late_hours ?? {};
    expect(Object.keys(after)).toHaveLength(MAX_KEPT_LATE_HOURS);
    const dropped = warnings.filter((w) => w.message.includes('past the most kept'));
    expect(dropped.map((w) => w.fields)).toEqual([
      {
        instance: 'default',
        hours: HOURS,
        from: new Date(oldest).toISOString(),
        to: new Date(oldest + HOURS * HOUR_MS).toISOString(),
      },
    ]);
  }, 120_000);
});

describe('the place in the chain the checkpoint keeps', () => {
  const pass = (digestNext: number, restarted = false) => ({ found: {}, looked: {}, digestNext, restarted });
  it(`is written alone once ${LATE_POSITION_SLACK} digests behind, back, or past a broken chain`, () => {
    expect(positionDue(10, pass(10 + LATE_POSITION_SLACK - 1))).toBe(false);
    expect(positionDue(10, pass(10 + LATE_POSITION_SLACK))).toBe(true);
    expect(positionDue(undefined, pass(LATE_POSITION_SLACK))).toBe(true);
    expect(positionDue(undefined, pass(0))).toBe(false);
    expect(positionDue(10, pass(4))).toBe(true);
    expect(positionDue(10, pass(12, true))).toBe(true);
    expect(positionDue(10, pass(10, true))).toBe(false);
  });
});

describe('mergeLateHours', () => {
  it('keeps an hour a later digest named again, and what an overlapping run found', () => {
    const pass = { found: { '1': 5, '2': 5 }, looked: { '1': 5, '2': 5 }, digestNext: 6, restarted: false };
    // Another run wrote hour 2 as named again by digest 7, and found hour 3.
    expect(mergeLateHours({ '2': 7, '3': 7 }, pass)).toEqual({ hours: { '2': 7, '3': 7 }, dropped: [] });
    expect(mergeLateHours(undefined, pass)).toEqual({ hours: {}, dropped: [] });
    expect(mergeLateHours({ '4': 1 }, { found: {}, looked: {}, digestNext: 6, restarted: false })).toEqual({
      hours: { '4': 1 },
      dropped: [],
    });
  });
});
