/**
 * An event stored after its hour was evaluated, once that hour is older than the recheck window
 * (Domo serving a lockout 3 or 4 hours late, which a manual re-pull of the hour then stores), was
 * never alerted, and nothing said so: the run folded the rewritten hour into the login profile and
 * logged at info. The lockout and burst detectors now look at old hours an ingest run rewrote, and
 * what they find that was not sent goes out marked late, once; `enrich`, which keeps the events,
 * raises nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_LATE_HOURS_PER_RUN } from '../../../functions/core/alerts/evaluate-hours.ts';
import { digestChainEnd, firstLakeHour } from '../../../functions/core/alerts/lake-hours.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { alertsStateKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { type MetricSink, noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
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

const MIN = 60_000;
const FROM = LATE_LAKE_FROM;
const STEP = LATE_LAKE_STEP;
const AT = Date.parse('2026-11-03T09:30:00Z');

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

const lockout = {
  timeMs: AT,
  entry: {
    actionType: 'LOCKED_OUT',
    eventText: 'User locked out',
    userId: '77',
    userName: 'Late Larry',
    time: AT,
    ipAddress: '192.0.2.1',
  },
};

/**
 * A lockout at half past each of `hours` hours from `first`, which Domo served late and a re-pull
 * of those hours (at STEP + 1 h) stores; its users are `<id>k` and "<name> k".
 */
async function rePullLockouts(
  store: MemoryObjectStore,
  first: number,
  hours: number,
  who: { id: string; name: string },
): Promise<void> {
  const before = lake.source.entries.length;
  for (let k = 0; k < hours; k++) {
    const at = first + k * HOUR_MS + 30 * MIN;
    lake.source.add({
      timeMs: at,
      entry: { ...lockout.entry, userId: `${who.id}${k}`, userName: `${who.name} ${k}`, time: at },
    });
  }
  try {
    await runIngest(
      {
        ...noWaits,
        source: lake.source,
        store,
        clock: { now: () => STEP + HOUR_MS },
        log: silentLog,
        metrics: noMetrics,
      },
      { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
      { range: { fromMs: first, toMs: first + hours * HOUR_MS } },
    );
  } finally {
    lake.source.entries.splice(before);
  }
}

/** A re-pull at `nowMs` of 09:00-10:00 on 2026-11-03, the hour of the late lockout. */
const rePullLockoutHour = (store: MemoryObjectStore, nowMs: number) =>
  runIngest(
    quietIngestDeps(lake.source, store, nowMs),
    { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
    { range: { fromMs: Date.parse('2026-11-03T09:00:00Z'), toMs: Date.parse('2026-11-03T10:00:00Z') } },
  );

/** Counts what the runs emit of each metric. */
function countingMetrics(): MetricSink & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    ...noMetrics,
    counts,
    count: (name: string, value: number) => counts.set(name, (counts.get(name) ?? 0) + value),
  } as MetricSink & { counts: Map<string, number> };
}

describe('a lockout stored after its hour left the recheck window', () => {
  for (const lateHours of [3, 4]) {
    it(`served ${lateHours} h late and re-pulled: sent once, marked late`, async () => {
      const store = cloneStore(ingested);
      const channel = new RecordingChannel();
      const metrics = countingMetrics();
      const alerts = (now: number) =>
        runAlerts(
          { store, clock: { now: () => now }, log: silentLog, metrics, channels: [channel] },
          { instance: 'default', settings: settings(), runId: `run-${now}` },
        );
      await alerts(STEP + 5 * MIN); // evaluates up to 10:00, 09:00 included
      const before = lake.source.entries.length;
      try {
        for (let h = 1; h <= 6; h++) {
          if (h === lateHours) lake.source.add(lockout);
          await lake.ingest(STEP + h * HOUR_MS, store);
          await alerts(STEP + h * HOUR_MS + 5 * MIN);
        }
        // Past the scheduled lookback by now: only a re-pull of the hour stores it.
        expect(channel.delivered.filter((a) => a.user_name === 'Late Larry')).toEqual([]);
        await rePullLockoutHour(store, STEP + 7 * HOUR_MS);
        await lake.ingest(STEP + 7 * HOUR_MS, store);
        await alerts(STEP + 7 * HOUR_MS + 5 * MIN);
        // The same hour re-pulled once more: found again, not sent again.
        await rePullLockoutHour(store, STEP + 8 * HOUR_MS);
        await alerts(STEP + 8 * HOUR_MS + 5 * MIN);
      } finally {
        lake.source.entries.splice(before);
      }
      const got = channel.delivered.filter((a) => a.user_name === 'Late Larry');
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ kind: 'lockout', event_time_ms: AT });
      expect(got[0]?.evidence).toContain('arrived late');
      expect(metrics.counts.get('AlertsRaisedLate')).toBe(1);
      const ids = channel.delivered.map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
    }, 120_000);
  }
});

describe('a re-pull of many old hours', () => {
  it(`is looked at ${MAX_LATE_HOURS_PER_RUN} hours a run, the rest carried over, each alert once`, async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = (now: number) =>
      runAlerts(
        { store, clock: { now: () => now }, log: silentLog, channels: [channel] },
        { instance: 'default', settings: settings(), runId: `run-${now}` },
      );
    await alerts(STEP + 5 * MIN);
    // A lockout in each of the 50 hours from the lake's first, long evaluated, found by a re-pull.
    // (Hours before the lake's first, where alerting began, were never evaluated: not looked at.)
    const first = (await firstLakeHour(store, 'default')) ?? FROM;
    const hours = 50;
    await rePullLockouts(store, first, hours, { id: 'u', name: 'Late' });
    const late = () => channel.delivered.filter((a) => a.user_name?.startsWith('Late '));
    await lake.ingest(STEP + HOUR_MS, store);
    await alerts(STEP + HOUR_MS + 5 * MIN);
    expect(late()).toHaveLength(MAX_LATE_HOURS_PER_RUN);
    await lake.ingest(STEP + 2 * HOUR_MS, store);
    await alerts(STEP + 2 * HOUR_MS + 5 * MIN);
    await lake.ingest(STEP + 3 * HOUR_MS, store);
    await alerts(STEP + 3 * HOUR_MS + 5 * MIN);
    expect(new Set(late().map((a) => a.id)).size).toBe(hours);
    expect(late()).toHaveLength(hours);
  }, 120_000);
});

describe('old rewritten hours left for the next run', () => {
  it('do not hold the chain position when the chain could not be read in full', async () => {
    const store = cloneStore(ingested);
    const alerts = (now: number) =>
      runAlerts(
        { store, clock: { now: () => now }, log: silentLog, channels: [] },
        { instance: 'default', settings: settings(), runId: `run-${now}` },
      );
    await alerts(STEP + 5 * MIN);
    const first = (await firstLakeHour(store, 'default')) ?? FROM;
    await rePullLockouts(store, first, MAX_LATE_HOURS_PER_RUN + 2, { id: 'v', name: 'Left' });
    await lake.ingest(STEP + HOUR_MS, store);
    // The chain's head does not read: the run folds the whole history again, hours left over.
    const end = await digestChainEnd(store, 'default');
    const head = store.objects.get(digestKey('default', end - 1));
    if (!head) throw new Error('no digest at the head of the chain');
    store.objects.set(digestKey('default', end - 1), {
      ...head,
      body: new TextEncoder().encode('not a digest'),
    });
    await alerts(STEP + HOUR_MS + 5 * MIN);
    const stored = store.objects.get(alertsStateKey('default', 'login-profile.json.gz'));
    const profile = stored && (await LoginProfile.decode(stored.body, 'default', 'UTC'));
    // Read from where it stopped again, it would fail the same way every run.
    expect(profile?.digestNext).toBe(end);
  }, 120_000);
});
