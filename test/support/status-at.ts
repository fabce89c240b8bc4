import type { ObjectStore, RunProcesses } from '../../functions/core/ports.ts';
import { readInstanceStatus } from '../../functions/core/status/instance-status.ts';
import { statusTableOf } from './instance-status-fixture.ts';

/** `status.hours` of a lake that lost, edited, skipped and awaits nothing: no finding at all. */
export const NO_HOUR_FINDINGS = {
  unreadableManifests: [],
  eventsGone: [],
  oldestGone: null,
  uncovered: [],
  awaitingRepull: null,
  skipped: null,
};

/**
 * One instance's status at `nowMs` (lag threshold 3 h, weeks in UTC, the lag alarm's default
 * window) and the table `status` prints for it, 200 columns wide, without the geo database;
 * `runProcesses` judges the runs' processes, as `status` does on a lake on disk.
 */
export async function statusAt(
  store: ObjectStore,
  instance: string,
  nowMs: number,
  runProcesses?: RunProcesses,
) {
  const status = await readInstanceStatus(store, instance, {
    nowMs,
    lagHours: 3,
    reportTimeZone: 'UTC',
    ...(runProcesses ? { runProcesses } : {}),
  });
  const table = statusTableOf([status], nowMs, { location: 'mem', maxWidth: 200 });
  return { status, table };
}
