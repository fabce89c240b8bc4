/**
 * What `status` reads of a long lake: its GETs and LISTs (pages of 1,000 keys, as S3 bills them,
 * and the keys listed), for one instance after a first run that backfilled `days` days (a digest
 * an hour), 6 hours skipped on purpose with a note, and a day of runs an hour: as it stands; after
 * the backfill's hours are re-pulled as a range; with the checkpoint and the run record lost.
 *
 *   node --import tsx bench/status-long-lake.ts [days]
 */

import { defaultIngestConfig } from '../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../functions/core/ingest/run-ingest.ts';
import { lastRunKey } from '../functions/core/lake/last-run.ts';
import { checkpointKey } from '../functions/core/lake/layout.ts';
import type { ListOptions, ObjectStore } from '../functions/core/ports.ts';
import { readInstanceStatus } from '../functions/core/status/instance-status.ts';
import { DAY_MS, MINUTE_MS } from '../functions/core/time-units.ts';
import { backfillThenSkipLake } from '../test/support/backfill-then-skip-lake.ts';
import { MemoryAuditSource } from '../test/support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../test/support/memory-store.ts';
import { quietIngestDeps } from '../test/support/quiet-ingest-deps.ts';

const DAYS = Math.min(Number(process.argv[2] ?? 366), 366);

/** Counts what a reader asks of `lake`: GETs, LIST calls, the keys they list and S3's pages. */
class Counted implements ObjectStore {
  readonly location: string;
  gets = 0;
  lists = 0;
  listed = 0;
  pages = 0;
  constructor(private readonly lake: MemoryObjectStore) {
    this.location = lake.location;
  }
  get(key: string) {
    this.gets++;
    return this.lake.get(key);
  }
  put: ObjectStore['put'] = (key, body, options) => this.lake.put(key, body, options);
  async *list(prefix: string, options?: ListOptions) {
    this.lists++;
    let keys = 0;
    for await (const key of this.lake.list(prefix, options)) {
      keys++;
      this.listed++;
      yield key;
    }
    this.pages += Math.max(1, Math.ceil(keys / 1000));
  }
}

const built = performance.now();
const { lake, skipFromMs, nowMs } = await backfillThenSkipLake(DAYS, 24);
console.log(
  `${DAYS} days: ${lake.objects.size.toLocaleString('en-US')} objects, built in ${((performance.now() - built) / 1000).toFixed(0)} s`,
);

async function measure(what: string) {
  const counted = new Counted(lake);
  const began = performance.now();
  const status = await readInstanceStatus(counted, 'acme', { nowMs, lagHours: 3, reportTimeZone: 'UTC' });
  const ms = performance.now() - began;
  const h = status.hours;
  const cut = h?.skippedUnsearched ? `, searched back ${h.skippedUnsearched.digestsRead} digests` : '';
  console.log(
    `${what}: ${counted.gets.toLocaleString('en-US')} GETs, ${counted.lists} LISTs (${counted.pages} pages, ${counted.listed.toLocaleString('en-US')} keys), ${ms.toFixed(0)} ms; skipped ${h?.skipped?.hours.length ?? 0}${cut}`,
  );
}

await measure('6 hours skipped on purpose');
// The backfill's hours pulled again as a range (a gap repaired): a digest an hour more, all written
// after the hours skipped.
const range = { fromMs: skipFromMs - DAYS * DAY_MS, toMs: skipFromMs };
const quiet = new MemoryAuditSource([]);
await runIngest(quietIngestDeps(quiet, lake, nowMs - 5 * MINUTE_MS), defaultIngestConfig('acme'), { range });
await measure('after a re-pull of the backfill');
lake.objects.delete(checkpointKey('acme'));
lake.objects.delete(lastRunKey('acme'));
await measure('checkpoint and run record lost');
