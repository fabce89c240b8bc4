/** Reads what the alerts run needs from the lake, one UTC hour at a time. */
import { readCoverage } from '../lake/coverage.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { activityKey, HOUR_MS, tableInstancePrefix, windowStartFromKey } from '../lake/layout.ts';
import { decodeNdjsonGzip } from '../lake/ndjson.ts';
import type { ObjectStore } from '../ports.ts';

/** The events stored for an hour (none when the hour has no object). */
export async function readHourEvents(
  store: ObjectStore,
  instance: string,
  hourMs: number,
): Promise<EventRecord[]> {
  const key = activityKey(instance, hourMs);
  const object = await store.get(key);
  return object ? (decodeNdjsonGzip(object.body, key) as EventRecord[]) : [];
}

/** What identifies an hour's content: its coverage manifest's hash (`none` when not covered). */
export async function hourContentHash(store: ObjectStore, instance: string, hourMs: number): Promise<string> {
  return (await readCoverage(store, instance, hourMs))?.content_hash ?? 'none';
}

/** The first hour stored for the instance (one listing call), or undefined for an empty lake. */
export async function firstLakeHour(store: ObjectStore, instance: string): Promise<number | undefined> {
  for await (const key of store.list(tableInstancePrefix('activity_log', instance))) {
    const hour = windowStartFromKey(key);
    if (hour !== undefined) return hour;
  }
  return undefined;
}

/** Keeps the last few hours read, since evaluating hour H also reads hour H-1. */
export class HourCache {
  private readonly hours = new Map<number, EventRecord[]>();
  constructor(
    private readonly store: ObjectStore,
    private readonly instance: string,
  ) {}

  async get(hourMs: number): Promise<EventRecord[]> {
    const cached = this.hours.get(hourMs);
    if (cached) return cached;
    const events = await readHourEvents(this.store, this.instance, hourMs);
    this.hours.set(hourMs, events);
    for (const hour of this.hours.keys()) if (hour < hourMs - 2 * HOUR_MS) this.hours.delete(hour);
    return events;
  }
}
