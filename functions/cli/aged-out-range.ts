import { agedOutBefore, lastRunMaxDays } from '../core/lake/aged-out.ts';
import { readLastRun } from '../core/lake/last-run.ts';
import { utcDate } from '../core/lake/layout.ts';
import type { ObjectStore } from '../core/ports.ts';
import { UsageError } from './usage-error.ts';

/**
 * Refuses a `--from` older than the lake keeps, when its last scheduled run recorded
 * `retention.maxDays`: Domo still serves those hours (about a year), and pulled again they would
 * be stored for another maxDays, past the end the deployment chose (review R-PRIVACY H1). A lake
 * with no such record (on disk, or a deployment keeping everything) takes any `--from`.
 */
export async function refuseAgedOutRange(
  store: ObjectStore,
  instance: string,
  range: { fromMs: number },
  nowMs: number,
): Promise<void> {
  // The unsigned record serves here: an edit of it refuses more or fewer re-pulls, and hides nothing.
  const maxDays = lastRunMaxDays(await readLastRun(store, instance), instance);
  if (maxDays === undefined) return;
  const beforeMs = agedOutBefore(nowMs, maxDays);
  if (range.fromMs >= beforeMs) return;
  const first = new Date(beforeMs).toISOString();
  throw new UsageError(
    `--from ${utcDate(range.fromMs)} is older than the lake keeps: its last scheduled run recorded retention.maxDays ${maxDays}, and the lake expires hours that old; pulled again they would be stored for another ${maxDays} days. Give a --from of ${first} or later`,
  );
}
