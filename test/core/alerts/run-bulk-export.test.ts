/**
 * `bulk_export` through the lake: an alerts run reads the exports only with `exportBurst` set,
 * raises the pull once, records it in the checkpoint (`exports`), and a recheck that finds a late
 * export shifting the pull (its raising export and id move) does not send it again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import type { MemoryEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
  settings,
} from './support/alert-fixtures.ts';
import { rePullServing } from './support/late-repull.ts';

const MIN = 60_000;
const STEP = LATE_LAKE_STEP;
/** An hour the recheck window (the 3 hours before 10:00) looks at again. */
const HOUR = Date.parse('2026-11-03T08:00:00Z');

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

/** User x42 exporting dataset `d<k>` at `at`. */
const exported = (k: number, at: number): MemoryEntry => ({
  timeMs: at,
  entry: {
    actionType: 'EXPORTED',
    eventText: 'Exported data source',
    userId: 'x42',
    userName: 'Exporting Ann',
    objectType: 'DATA_SOURCE',
    objectId: `d${k}`,
    objectName: `Dataset ${k}`,
    time: at,
    ipAddress: '203.0.113.42',
  },
});

/** Five datasets, one each 2 minutes from 08:20 (the fifth raises it at 08:28). */
const pull = Array.from({ length: 5 }, (_, k) => exported(k + 1, HOUR + 20 * MIN + k * 2 * MIN));

/** A re-pull of HOUR at `nowMs` while Domo serves `entries` too. */
const rePull = (store: MemoryObjectStore, entries: MemoryEntry[], nowMs: number) =>
  rePullServing(lake, store, HOUR, entries, nowMs);

const alertsRun =
  (store: MemoryObjectStore, channel: RecordingChannel, exportBurst: number) => (nowMs: number) =>
    runAlerts(
      { store, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
      { instance: 'default', settings: settings({ exportBurst }), runId: `run-${nowMs}` },
    );

const bulkExports = (channel: RecordingChannel) => channel.delivered.filter((a) => a.kind === 'bulk_export');

describe('a bulk export through the lake', () => {
  it('is not read, nor raised, with exportBurst 0', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = alertsRun(store, channel, 0);
    await alerts(STEP + 5 * MIN);
    await rePull(store, pull, STEP + 10 * MIN);
    await alerts(STEP + 11 * MIN);
    expect(bulkExports(channel)).toEqual([]);
  }, 120_000);

  it('is sent once with exportBurst set, and not again when a late export shifts it', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = alertsRun(store, channel, 5);
    await alerts(STEP + 5 * MIN);
    await rePull(store, pull, STEP + 10 * MIN);
    await alerts(STEP + 11 * MIN);
    expect(bulkExports(channel).map((a) => [a.user_id, a.event_time_ms])).toEqual([['x42', HOUR + 28 * MIN]]);
    const stored = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
    expect(stored?.exports).toEqual({ 'id:x42': [HOUR + 28 * MIN] });
    // A sixth dataset exported at 08:18, served late: the fourth now raises the pull, at 08:26.
    await rePull(store, [...pull, exported(6, HOUR + 18 * MIN)], STEP + 20 * MIN);
    await alerts(STEP + 21 * MIN);
    expect(bulkExports(channel)).toHaveLength(1);
  }, 120_000);
});
