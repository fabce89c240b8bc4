import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The day verify's held-hour tests plant objects around: 2026-10-01 UTC. */
export const day0 = Date.parse('2026-10-01T00:00:00Z');

/** The start of the day's `hour`-th hour (24 and on: the next day's). */
export const at = (hour: number): number => day0 + hour * HOUR_MS;

/** When the day's run pulled it whole: half an hour into the next day. */
export const dayNow = at(24) + 1_800_000;

/** A lake of instance `acme` holding the day, one event an hour, pulled by one run at {@link dayNow}. */
export async function dayLake(): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource(Array.from({ length: 24 }, (_, h) => viewEntry(at(h) + 600_000, h)));
  await runIngest(quietIngestDeps(source, store, dayNow), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  return store;
}

/** The stored bytes of `key` (to copy an hour's object elsewhere). */
export const bodyOf = (store: MemoryObjectStore, key: string): Uint8Array =>
  store.objects.get(key)?.body as Uint8Array;

/** `store` with its GETs and LISTs counted: what a check costs. */
export function countedCalls(store: ObjectStore): {
  store: ObjectStore;
  gets: () => number;
  lists: () => number;
} {
  let gets = 0;
  let lists = 0;
  const wrapped: ObjectStore = Object.create(store);
  wrapped.get = (key) => {
    gets++;
    return store.get(key);
  };
  wrapped.list = (prefix) => {
    lists++;
    return store.list(prefix);
  };
  return { store: wrapped, gets: () => gets, lists: () => lists };
}
