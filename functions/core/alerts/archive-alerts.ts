/**
 * The archive half of an alerts run: which new alerts an earlier incarnation of the checkpoint
 * already archived, and writing the archive objects of the alerts waiting for them. Both are built
 * for a backlog (a first run over a year of lake, or a run after the checkpoint was deleted, takes
 * in thousands of alerts at once): requests go {@link ARCHIVE_CONCURRENCY} at a time, a busy date
 * partition is listed rather than read alert by alert, and the archive list is trimmed every
 * {@link ARCHIVE_CHUNK} alerts and stops while time is left to deliver, so a run that is stopped
 * keeps what it wrote and the next run goes on from there.
 */

import { alertKey } from '../lake/layout.ts';
import { type Clock, type ObjectStore, PreconditionFailedError } from '../ports.ts';
import { runPool } from '../worker-pool.ts';
import { type Alert, alertRecord } from './alert.ts';
import { type AlertCheckpoint, type ArchivedAlert, updateAlertCheckpoint } from './alert-checkpoint.ts';

/** S3 requests in flight at once while checking or writing archive objects. */
const ARCHIVE_CONCURRENCY = 16;

/** Archive objects written between two checkpoint writes that forget them. */
const ARCHIVE_CHUNK = 500;

/**
 * A date partition with more new alerts than this is listed (one request per 1,000 keys) instead
 * of read once per alert; a usual run, with an alert or two, reads them.
 */
const LIST_FROM = 8;

const partitionOf = (key: string): string => key.slice(0, key.lastIndexOf('/') + 1);

type Check = { list: string; keys: Map<string, Alert> } | { get: string; alert: Alert };

/** One check per busy partition, one per alert of the others. */
function checksOf(alerts: readonly Alert[]): Check[] {
  const byPartition = new Map<string, Map<string, Alert>>();
  for (const alert of alerts) {
    const key = alertKey(alert.instance, alert.event_time_ms, alert.id);
    const partition = partitionOf(key);
    const keys = byPartition.get(partition) ?? new Map<string, Alert>();
    keys.set(key, alert);
    byPartition.set(partition, keys);
  }
  return [...byPartition].flatMap(([partition, keys]): Check[] =>
    keys.size > LIST_FROM
      ? [{ list: partition, keys }]
      : [...keys].map(([key, alert]) => ({ get: key, alert })),
  );
}

/**
 * The alerts among `alerts` that have no archive object yet: an earlier incarnation of the alerts
 * state (a checkpoint since deleted) may have archived, and so delivered, the others.
 */
export async function notArchived(store: ObjectStore, alerts: readonly Alert[]): Promise<Alert[]> {
  const archived = new Set<string>();
  await runPool(checksOf(alerts).values(), ARCHIVE_CONCURRENCY, async (check) => {
    if ('get' in check) {
      if (await store.get(check.get)) archived.add(check.alert.id);
      return;
    }
    for await (const key of store.list(check.list)) {
      const alert = check.keys.get(key);
      if (alert) archived.add(alert.id);
    }
  });
  return alerts.filter((alert) => !archived.has(alert.id));
}

export interface ArchiveContext {
  store: ObjectStore;
  clock: Clock;
  instance: string;
  runId: string;
  initial: () => AlertCheckpoint;
  /** True once too little time is left to start writing more (the rest waits for the next run). */
  timeIsShort: () => boolean;
}

/**
 * Writes one alert's archive object; one that exists already (create-only) is left as it is. Its
 * `detected_at` and `run_id` are those of the run that took it in, or, for an entry of a
 * checkpoint written before they were kept, this run's.
 */
async function writeArchiveObject(
  context: ArchiveContext,
  alert: ArchivedAlert,
  nowMs: number,
): Promise<void> {
  const record = alertRecord(alert, alert.detected_at_ms ?? nowMs, alert.detected_run_id ?? context.runId);
  const line = `${JSON.stringify(record)}\n`;
  try {
    await context.store.put(
      alertKey(alert.instance, alert.event_time_ms, alert.id),
      new TextEncoder().encode(line),
      {
        ifNoneMatch: '*',
        contentType: 'application/json',
      },
    );
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
}

/** Forgets the archived alerts from the checkpoint's archive list. */
async function forget(context: ArchiveContext, done: ReadonlySet<string>): Promise<void> {
  if (done.size === 0) return;
  await updateAlertCheckpoint(context.store, context.instance, context.initial, (current) => {
    const left = current.archive.filter((a) => !done.has(a.id));
    if (left.length === current.archive.length) return undefined;
    current.archive = left;
    return current;
  });
}

/**
 * Writes the archive object of each alert of `waiting` (the checkpoint's archive list), a chunk at
 * a time, forgetting each chunk from the list once written; stops starting writes when time is
 * short. Returns how many are still waiting.
 */
export async function archiveWaiting(
  context: ArchiveContext,
  waiting: readonly ArchivedAlert[],
): Promise<number> {
  const nowMs = context.clock.now();
  let left = waiting.length;
  for (let start = 0; start < waiting.length && !context.timeIsShort(); start += ARCHIVE_CHUNK) {
    const done = new Set<string>();
    try {
      await runPool(
        waiting.slice(start, start + ARCHIVE_CHUNK).values(),
        ARCHIVE_CONCURRENCY,
        async (alert) => {
          await writeArchiveObject(context, alert, nowMs);
          done.add(alert.id);
        },
        context.timeIsShort,
      );
    } finally {
      // Even when a write failed: what was written need not be written again.
      await forget(context, done);
    }
    left -= done.size;
  }
  return left;
}
