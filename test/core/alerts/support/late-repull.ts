import { firstLakeHour } from '../../../../functions/core/alerts/lake-hours.ts';
import { runAlerts } from '../../../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../../functions/core/ingest/run-ingest.ts';
import { type Log, noMetrics, silentLog } from '../../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import type { MemoryEntry } from '../../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../../support/memory-store.ts';
import { noWaits } from '../../../support/no-waits.ts';
import { quietIngestDeps } from '../../../support/quiet-ingest-deps.ts';
import {
  cloneStore,
  LATE_LAKE_FROM,
  LATE_LAKE_STEP,
  type MemoryLake,
  RecordingChannel,
  settings,
} from './alert-fixtures.ts';

const MIN = 60_000;

/**
 * A lockout at half past each of `hours` hours from `first`, which Domo served late and a re-pull
 * of those hours at `nowMs` stores; its users are `<id>k` and "<name> k".
 */
export async function rePullLockouts(
  lake: MemoryLake,
  store: MemoryObjectStore,
  range: { first: number; hours: number; nowMs?: number },
  who: { id: string; name: string },
): Promise<void> {
  const before = lake.source.entries.length;
  for (let k = 0; k < range.hours; k++) {
    const at = range.first + k * HOUR_MS + 30 * MIN;
    lake.source.add({
      timeMs: at,
      entry: {
        actionType: 'LOCKED_OUT',
        eventText: 'User locked out',
        userId: `${who.id}${k}`,
        userName: `${who.name} ${k}`,
        time: at,
        ipAddress: '192.0.2.1',
      },
    });
  }
  try {
    const summary = await runIngest(
      {
        ...noWaits,
        source: lake.source,
        store,
        clock: { now: () => range.nowMs ?? LATE_LAKE_STEP + HOUR_MS },
        log: silentLog,
        metrics: noMetrics,
      },
      { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
      { range: { fromMs: range.first, toMs: range.first + range.hours * HOUR_MS } },
    );
    if (summary.failures.length > 0) throw new Error(`re-pull failed: ${summary.failures[0]?.message}`);
  } finally {
    lake.source.entries.splice(before);
  }
}

/** A scheduled alerts run of the late-events lake's instance into `channel`, at a given time. */
export const lateLakeAlerts =
  (store: MemoryObjectStore, channel: RecordingChannel, log: Log = silentLog) =>
  (nowMs: number, startMs?: number) =>
    runAlerts(
      { store, clock: { now: () => nowMs }, log, channels: [channel] },
      {
        instance: 'default',
        settings: settings(),
        runId: `run-${nowMs}`,
        ...(startMs === undefined ? {} : { startMs }),
      },
    );

/**
 * A lockout on time (users `n<h>`, "Normal<h> x") in each of `count` hours from hour `first` after
 * the late-events lake's step (1: the hour after it), each ingested and followed by an alerts run:
 * the runs' errors, in order. The entries are taken out of the source again, as the lake is shared
 * by the tests of a file.
 */
export async function onTimeLockoutRuns(
  lake: MemoryLake,
  store: MemoryObjectStore,
  alerts: (nowMs: number) => Promise<unknown>,
  first: number,
  count = 3,
): Promise<string[]> {
  const errors: string[] = [];
  const start = lake.source.entries.length;
  try {
    for (let h = first; h < first + count; h++) {
      const at = Date.parse('2026-11-03T10:30:00Z') + (h - 1) * HOUR_MS;
      lake.source.add({
        timeMs: at,
        entry: {
          actionType: 'LOCKED_OUT',
          eventText: 'User locked out',
          userId: `n${h}`,
          userName: `Normal${h} x`,
          time: at,
          ipAddress: '192.0.2.9',
        },
      });
      await lake.ingest(LATE_LAKE_STEP + h * HOUR_MS, store);
      try {
        await alerts(LATE_LAKE_STEP + h * HOUR_MS + 5 * MIN);
      } catch (error) {
        errors.push(String(error));
      }
    }
  } finally {
    lake.source.entries.splice(start);
  }
  return errors;
}

/**
 * A copy of the late-events lake's `ingested` store whose alerts ran once at its step: the store,
 * the channel they went to, the alerts run (logging to `log`) and the lake's first hour.
 */
export async function alertsUpToDate(ingested: MemoryObjectStore, log: Log = silentLog) {
  const store = cloneStore(ingested);
  const channel = new RecordingChannel();
  const alerts = lateLakeAlerts(store, channel, log);
  await alerts(LATE_LAKE_STEP + 5 * MIN);
  const first = (await firstLakeHour(store, 'default')) ?? LATE_LAKE_FROM;
  return { store, channel, alerts, first };
}

/**
 * A re-pull of the hour from `hourMs` at `nowMs` while Domo serves `entries` too (taken out of the
 * late-events lake's source again after, as the lake is shared by the tests of a file).
 */
export async function rePullServing(
  lake: MemoryLake,
  store: MemoryObjectStore,
  hourMs: number,
  entries: readonly MemoryEntry[],
  nowMs: number,
): Promise<void> {
  const before = lake.source.entries.length;
  lake.source.add(...entries);
  try {
    const summary = await runIngest(
      quietIngestDeps(lake.source, store, nowMs),
      { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
      { range: { fromMs: hourMs, toMs: hourMs + HOUR_MS } },
    );
    if (summary.failures.length > 0) throw new Error(`re-pull failed: ${summary.failures[0]?.message}`);
  } finally {
    lake.source.entries.splice(before);
  }
}
