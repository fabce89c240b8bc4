import type { Alert } from '../../../../functions/core/alerts/alert.ts';
import {
  type AlertCheckpoint,
  emptyChannel,
  newAlertCheckpoint,
  readAlertCheckpoint,
} from '../../../../functions/core/alerts/alert-checkpoint.ts';
import type { ArchiveContext } from '../../../../functions/core/alerts/archive-alerts.ts';
import { alertsPrefix, alertsStateKey } from '../../../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../../support/memory-store.ts';
import { alertAt, INSTANCE } from './delivery-fixtures.ts';
import { START } from './synthetic-run.ts';
import type { VirtualClock } from './timed-lambda.ts';

/** S3's latency per request in the figures of docs/alerts.md. */
export const REQUEST_MS = 40;

/**
 * How many archive writes docs/alerts.md promises in flight at once ("written 16 at a time"):
 * the tests hold the code to the documented figure, not to its own constant.
 */
export const DOCUMENTED_CONCURRENCY = 16;

/** `count` lockouts taken in but not archived yet, one an hour from {@link START}. */
export const backlog = (count: number): Alert[] =>
  Array.from({ length: count }, (_, i) => alertAt(`backlog-${i}`, START + i * HOUR_MS));

const initial = (): AlertCheckpoint => newAlertCheckpoint(INSTANCE, START);

/**
 * Stores the alerts checkpoint a run leaves after taking in `alerts` with every hour before
 * `nextHourMs` evaluated: all of them waiting in the archive list and in the `sns` outbox.
 */
export function storeBacklog(memory: MemoryObjectStore, alerts: readonly Alert[], nextHourMs: number): void {
  const checkpoint: AlertCheckpoint = {
    ...newAlertCheckpoint(INSTANCE, START),
    next_hour_ms: nextHourMs,
    archive: [...alerts],
    channels: { sns: { ...emptyChannel(), outbox: [...alerts] } },
  };
  memory.putNow(
    alertsStateKey(INSTANCE, 'checkpoint.json'),
    new TextEncoder().encode(`${JSON.stringify(checkpoint)}\n`),
  );
}

/** What archiveWaiting needs to archive into `store` at `clock`, never short of time unless told. */
export const archiveContext = (
  store: ObjectStore,
  clock: VirtualClock,
  timeIsShort: () => boolean = () => false,
): ArchiveContext => ({ store, clock, instance: INSTANCE, runId: 'run-archive', initial, timeIsShort });

const isArchiveKey = (key: string): boolean => key.startsWith(alertsPrefix(INSTANCE));

/** Archive objects in `memory`. */
export const archivedCount = (memory: MemoryObjectStore): number =>
  [...memory.objects.keys()].filter(isArchiveKey).length;

/** Archive-object puts `memory` was asked for so far (one that found its object already there included). */
export const archivePuts = (memory: MemoryObjectStore): number =>
  memory.puts.filter((put) => isArchiveKey(put.key)).length;

/** The alerts the stored checkpoint still lists as waiting to be archived (what a run archives). */
export async function waiting(memory: MemoryObjectStore): Promise<Alert[]> {
  return (await readAlertCheckpoint(memory, INSTANCE))?.checkpoint.archive ?? [];
}

/** Ids of {@link waiting}. */
export const waitingIds = async (memory: MemoryObjectStore): Promise<string[]> =>
  (await waiting(memory)).map((a) => a.id);
