import type { AuditQuery, AuditSource } from '../../functions/core/domo/audit-source.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { formatDocString } from '../../functions/simulator/time-format.ts';
import type { MemoryAuditSource, MemoryEntry } from './memory-audit-source.ts';

/** A sign-in at `iso`, its time as Domo's documented zone-less string in `zone`. */
export const loginAt = (zone: string, iso: string, user: string): MemoryEntry => {
  const ms = Date.parse(iso);
  const entry = {
    actionType: 'LOGIN',
    actorId: 0,
    eventText: 'Logged in',
    objectId: user,
    objectName: 'x',
    objectType: 'USER',
    time: formatDocString(ms, zone),
    userId: user,
    userName: user,
  };
  return { timeMs: ms, entry };
};

/** Domo with each reading of its undocumented bounds (the memory source takes both inclusive). */
export function withBounds(
  inner: MemoryAuditSource,
  startInclusive: boolean,
  endInclusive: boolean,
): AuditSource {
  return {
    fetchPage: (query: AuditQuery) =>
      inner.fetchPage({
        ...query,
        start: startInclusive ? query.start : query.start + 1,
        end: endInclusive ? query.end : query.end - 1,
      }),
  };
}

/** Start and end inclusive or not: the four readings of Domo's bounds. */
export const BOUNDS = [
  [true, true],
  [true, false],
  [false, true],
  [false, false],
] as const;

export async function storedEvents(store: ObjectStore): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  for await (const key of store.list('activity_log/instance=acme/')) {
    const object = await store.get(key);
    events.push(...(decodeNdjsonGzip(object?.body ?? new Uint8Array()) as EventRecord[]));
  }
  return events;
}

/** Each entry's user, its time to the second and its UTC hour, as the lake should hold it. */
export const truthOf = (entries: readonly MemoryEntry[]) =>
  entries
    .map((e) => {
      const second = Math.floor(e.timeMs / 1000) * 1000;
      const user = (e.entry as { userId: string }).userId;
      return `${user} ${second} ${Math.floor(second / HOUR_MS) * HOUR_MS}`;
    })
    .sort();

/** The lake's events as {@link truthOf} words entries. */
export const storedAs = (events: readonly EventRecord[]) =>
  events.map((e) => `${e.user_id} ${e.event_time_ms} ${e.window_start_ms}`).sort();
