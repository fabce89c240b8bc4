import { statusTable } from '../../functions/cli/commands/status.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { readInstanceStatus } from '../../functions/core/status/instance-status.ts';

/**
 * One instance's status at `nowMs` (lag threshold 3 h, weeks in UTC, the lag alarm's default
 * window) and the table `status` prints for it, 200 columns wide, without the geo database.
 */
export async function statusAt(store: ObjectStore, instance: string, nowMs: number) {
  const status = await readInstanceStatus(store, instance, { nowMs, lagHours: 3, reportTimeZone: 'UTC' });
  const table = statusTable(
    {
      location: 'mem',
      lagHours: 3,
      lagWindowMinutes: 60,
      instances: [status],
      geoDatabase: { version: null, releasedAt: null, ageDays: null, error: 'not read here' },
      ok: false,
    },
    nowMs,
    200,
  );
  return { status, table };
}
