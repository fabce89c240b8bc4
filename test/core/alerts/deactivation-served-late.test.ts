/**
 * A deactivation Domo served late, stored by a re-pull of an hour older than the recheck window and
 * than the login history (so no profile refold reads it): only the late pass reads that hour, and
 * until 2026-12-07 it looked there for lockouts alone, so the deactivation was never noted in the
 * user states, and the deactivated user's sign-in the next hour raised nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { loadUserStates } from '../../../functions/core/alerts/user-states.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import {
  cloneStore,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
  settings,
} from './support/alert-fixtures.ts';

const STEP = LATE_LAKE_STEP;
/** Two days before the run's hours: older than the recheck window and the 1 day of history. */
const OFF_AT = Date.parse('2026-11-01T12:30:00Z');
const SIGN_IN_AT = Date.parse('2026-11-03T10:20:00Z');

let lake: MemoryLake;
let ingested: MemoryObjectStore;
beforeAll(async () => {
  ({ lake, ingested } = await lateEventsLake());
}, 120_000);

const deactivation = {
  timeMs: OFF_AT,
  entry: {
    actionType: 'DEACTIVATED',
    eventText: 'Deactivated user',
    objectType: 'USER',
    objectId: '4242',
    objectName: 'Lena Leaver',
    userId: '5',
    userName: 'Ann Admin',
    time: OFF_AT,
    ipAddress: '192.0.2.5',
  },
};
const signIn = {
  timeMs: SIGN_IN_AT,
  entry: {
    actionType: 'LOGGED_IN',
    eventText: 'Logged in',
    userId: '4242',
    userName: 'Lena Leaver',
    time: SIGN_IN_AT,
    ipAddress: '203.0.113.9',
  },
};

describe('a deactivation served late, into an hour only the late pass reads', () => {
  it('is noted, and the sign-in after it raises the alert', async () => {
    const store = cloneStore(ingested);
    const channel = new RecordingChannel();
    const alerts = (now: number) =>
      runAlerts(
        { store, clock: { now: () => now }, log: silentLog, channels: [channel] },
        { instance: 'default', settings: settings({ historyDays: 1 }), runId: `run-${now}` },
      );
    await alerts(STEP + 5 * MINUTE_MS); // evaluates up to 10:00 on 11-03, 11-01 12:00 long before
    const before = lake.source.entries.length;
    lake.source.add(deactivation, signIn);
    try {
      const oldHour = Date.parse('2026-11-01T12:00:00Z');
      await runIngest(
        quietIngestDeps(lake.source, store, STEP + HOUR_MS),
        { ...defaultIngestConfig('default'), backfillDays: 3, concurrency: 8 },
        { range: { fromMs: oldHour, toMs: oldHour + HOUR_MS } },
      );
      await lake.ingest(STEP + HOUR_MS, store);
      await alerts(STEP + HOUR_MS + 5 * MINUTE_MS);
    } finally {
      lake.source.entries.splice(before);
    }
    expect(Object.keys(await loadUserStates(store, 'default'))).toContain('id:4242');
    const sent = channel.delivered.filter((a) => a.kind === 'activity_after_deactivation');
    expect(sent.map((a) => [a.user_id, a.event_time_ms])).toEqual([['4242', SIGN_IN_AT]]);
  }, 120_000);
});
