/**
 * Late alerts (events stored after their hour left the recheck window) go out once (review
 * R-ALERTS2): a late failure that moved a burst already sent made the late pass send the attack's
 * burst again under another id, and two overlapping runs that both found a late lockout both sent
 * it (its id, kept under its event's hour, was pruned from the checkpoint's recent ids at once).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { firstLakeHour } from '../../../functions/core/alerts/lake-hours.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import {
  cloneStore,
  LATE_LAKE_FROM,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
  settings,
} from './support/alert-fixtures.ts';
import { overlapTwoRuns } from './support/overlapping-runs.ts';

const MIN = 60_000;
const FROM = LATE_LAKE_FROM;
const STEP = LATE_LAKE_STEP;

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

const entryOf = (at: number, actionType: string, eventText: string, user: string): MemoryEntry => ({
  timeMs: at,
  entry: {
    actionType,
    eventText,
    userId: user,
    userName: `Once ${user}`,
    time: at,
    ipAddress: '198.51.100.9',
  },
});

/** A re-pull, at `nowMs`, of the hours from `fromMs` to `toMs` while Domo also serves `entries`. */
async function rePull(
  store: MemoryObjectStore,
  entries: MemoryEntry[],
  range: { fromMs: number; toMs: number },
  nowMs: number,
) {
  const before = lake.source.entries.length;
  for (const entry of entries) lake.source.add(entry);
  try {
    await runIngest(
      quietIngestDeps(lake.source, store, nowMs),
      { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
      { range },
    );
  } finally {
    lake.source.entries.splice(before);
  }
}

const alertsRun = (store: MemoryObjectStore, channel: RecordingChannel) => (nowMs: number) =>
  runAlerts(
    { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
    { instance: 'default', settings: settings(), runId: `run-${nowMs}` },
  );

describe('late alerts, once', () => {
  it('send no second burst when late failures move one already sent', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = alertsRun(store, channel);
    const hour = ((await firstLakeHour(store, 'default')) ?? FROM) + 2 * HOUR_MS;
    const failure = (minute: number) => entryOf(hour + minute * MIN, 'LOGIN_FAILED', 'Login failed', 'burst');
    const onTime = [20, 21, 22, 23, 24].map(failure);
    await rePull(store, onTime, { fromMs: hour, toMs: hour + HOUR_MS }, STEP);
    await alerts(STEP + 5 * MIN);
    const bursts = () => channel.delivered.filter((a) => a.user_name === 'Once burst');
    expect(bursts().map((a) => a.kind)).toEqual(['failed_login_burst']);
    // Failures at 15-17 past, served late: they move the burst's first failure (another id).
    await rePull(
      store,
      [...onTime, ...[15, 16, 17].map(failure)],
      { fromMs: hour, toMs: hour + HOUR_MS },
      STEP + HOUR_MS,
    );
    await lake.ingest(STEP + HOUR_MS, store);
    await alerts(STEP + HOUR_MS + 5 * MIN);
    expect(bursts()).toHaveLength(1);
  }, 120_000);

  it('send a late lockout once when two runs overlap', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = alertsRun(store, channel);
    await alerts(STEP + 5 * MIN);
    const first = (await firstLakeHour(store, 'default')) ?? FROM;
    const lockout = entryOf(first + 30 * MIN, 'LOCKED_OUT', 'User locked out', 'race');
    await rePull(store, [lockout], { fromMs: first, toMs: first + HOUR_MS }, STEP + HOUR_MS);
    await lake.ingest(STEP + HOUR_MS, store);
    // The overlap that once sent an alert twice (overlapping-runs.ts).
    await overlapTwoRuns(
      store,
      () => alerts(STEP + HOUR_MS + 5 * MIN),
      () => alerts(STEP + HOUR_MS + 6 * MIN),
    );
    expect(channel.delivered.filter((a) => a.user_name === 'Once race')).toHaveLength(1);
  }, 120_000);
});
