import { loadGeoDatabase } from '../../../functions/adapters/geo-file-lookup.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { DAY_MS } from '../../../functions/core/time-units.ts';
import type { SyntheticInstance } from '../../../functions/simulator/index.ts';
import { writeLakeFile } from '../../support/write-lake-file.ts';
import { event } from './lake-fixture.ts';

/** A synthetic instance's sign-ins as the ingest stores them: category login, placed by the shipped geo database. */
export function placedLoginRecords(instance: SyntheticInstance): EventRecord[] {
  const { database } = loadGeoDatabase();
  return instance.events
    .filter((e) => e.entry.actionType === 'LOGGED_IN')
    .map((e, i) => {
      const ip = String(e.entry.ipAddress);
      const geo = database.lookup(ip);
      return event(new Date(e.timeMs).toISOString().replace('T', ' ').slice(0, 23), {
        event_id: `s${String(i).padStart(7, '0')}`,
        user_id: String(e.entry.userId),
        user_name: String(e.entry.userName),
        action_type: 'LOGGED_IN',
        object_type: 'USER',
        category: 'login',
        ip_address: ip,
        ip_country: geo?.country ?? null,
        ip_asn: geo?.asn ?? null,
        ip_org: geo?.org ?? null,
        geo_db_version: database.version,
      });
    });
}

/**
 * Writes `records` under `dir` as instance `default`'s lake, one object per day: the engine reads
 * every file of a dt partition, so fewer files give the same answers sooner. Each record goes to
 * the day of its window, the dt its hour's object would be in: a record stored in a later hour's
 * object (a window after its event time) can be in the next day's partition.
 */
export async function writeDailyLake(dir: string, records: readonly EventRecord[]): Promise<void> {
  const days = new Map<number, EventRecord[]>();
  for (const r of records) {
    const day = Math.floor(r.window_start_ms / DAY_MS) * DAY_MS;
    const list = days.get(day) ?? [];
    list.push(r);
    days.set(day, list);
  }
  for (const [day, list] of days) {
    writeLakeFile(dir, activityKey('default', day), encodeNdjsonGzip(list));
  }
}
