import type { EventCategory } from '../../../functions/core/domo/event-category.ts';
import { writeCoverage } from '../../../functions/core/lake/coverage.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import {
  activityKey,
  coverageKey,
  lakeTimestamp,
  quarantineKey,
} from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { floorHour, HOUR_MS } from '../../../functions/core/time-units.ts';
import { writeLakeFile } from '../../support/write-lake-file.ts';

let sequence = 0;

/** A complete event record at `time` (UTC `YYYY-MM-DD HH:MM:SS[.mmm]`), the rest from `fields` or defaults. */
export function event(time: string, fields: Partial<EventRecord> = {}): EventRecord {
  const ms = Date.parse(`${time.replace(' ', 'T')}Z`);
  const window = floorHour(ms);
  sequence += 1;
  return {
    event_id: `e${String(sequence).padStart(6, '0')}`,
    event_time: lakeTimestamp(ms),
    event_time_ms: ms,
    time_raw: String(ms),
    action_type: 'VIEWED',
    event_text: 'Viewed card',
    object_type: 'CARD',
    object_id: '100',
    object_name: 'Revenue',
    user_id: '1',
    user_name: 'Ada',
    user_type: 'USER',
    actor_id: '0',
    actor_name: '',
    actor_type: null,
    additional_comment: null,
    ip_address: '203.0.113.7',
    device: 'desktop',
    browser_details: 'test',
    category: 'other',
    raw: '{}',
    window_start_ms: window,
    window_end_ms: window + HOUR_MS,
    ingested_at: '2026-10-01T12:00:00.000Z',
    run_id: 'fixture',
    ip_country: null,
    ip_asn: null,
    ip_org: null,
    geo_db_version: null,
    ...fields,
  };
}

/** A record as written before enrichment existed: the same without any geo key. */
export function withoutGeoColumns(
  record: EventRecord,
): Omit<EventRecord, 'ip_country' | 'ip_asn' | 'ip_org' | 'geo_db_version'> {
  const { ip_country, ip_asn, ip_org, geo_db_version, ...rest } = record;
  return rest;
}

/** A login-type event (`category` set, action named like the simulator's). */
export const login = (time: string, category: EventCategory, fields: Partial<EventRecord> = {}) =>
  event(time, { action_type: category.toUpperCase(), object_type: 'USER', category, ...fields });

/** A coverage manifest for the hour starting at `hour` (UTC `YYYY-MM-DD HH:00`). */
export function manifest(hour: string, fields: Partial<CoverageManifest> = {}): CoverageManifest {
  const ms = Date.parse(`${hour.replace(' ', 'T')}:00Z`);
  return {
    window_start_ms: ms,
    window_end_ms: ms + HOUR_MS,
    window_start: lakeTimestamp(ms),
    event_count: 0,
    quarantined_count: 0,
    out_of_window_count: 0,
    pages: 1,
    requests: 1,
    content_hash: 'x',
    fetch_count: 1,
    late_events: 0,
    late_events_total: 0,
    first_fetched_at: '2026-10-02T00:00:00.000Z',
    fetched_at: '2026-10-02T00:00:00.000Z',
    code_version: 'test',
    run_id: 'fixture',
    ...fields,
  };
}

/** `record` in the hour object of its own time, where the lake keeps it. */
export const inItsHour = (record: EventRecord): EventRecord => ({
  ...record,
  window_start_ms: floorHour(record.event_time_ms),
  window_end_ms: floorHour(record.event_time_ms) + HOUR_MS,
});

export interface FixtureLake {
  events?: EventRecord[];
  coverage?: CoverageManifest[];
  quarantine?: QuarantineRecord[];
  instance?: string;
}

/**
 * Writes records into `dir` with the writer's layout: one gzip NDJSON object per table and hour.
 * Plain writes, not the lake's store: the queries read the same files, and the store's durable put
 * (temp file, fsync, lock, rename) made a lake of a month of hours take seconds to write.
 */
export async function writeFixtureLake(dir: string, lake: FixtureLake): Promise<void> {
  const put = (key: string, body: Uint8Array) => writeLakeFile(dir, key, body);
  const instance = lake.instance ?? 'default';
  const byHour = <T extends { window_start_ms: number }>(records: readonly T[]) => {
    const hours = new Map<number, T[]>();
    for (const r of records) {
      const hour = hours.get(r.window_start_ms);
      if (hour) hour.push(r);
      else hours.set(r.window_start_ms, [r]);
    }
    return hours;
  };
  for (const [hour, records] of byHour(lake.events ?? [])) {
    put(activityKey(instance, hour), encodeNdjsonGzip(records));
  }
  for (const [hour, records] of byHour(lake.quarantine ?? [])) {
    put(quarantineKey(instance, hour), encodeNdjsonGzip(records));
  }
  for (const m of lake.coverage ?? []) {
    put(coverageKey(instance, m.window_start_ms), Buffer.from(`${JSON.stringify(m)}\n`));
  }
}

/**
 * Stores `records` as the hour `hour` (UTC `YYYY-MM-DD HH:00`) of instance `default` through the
 * lake's store, with the hour's coverage manifest: an hour as an earlier ingest left it.
 */
export async function storeHour(store: ObjectStore, hour: string, records: readonly object[]): Promise<void> {
  await store.put(
    activityKey('default', Date.parse(`${hour.replace(' ', 'T')}:00Z`)),
    encodeNdjsonGzip(records),
  );
  await writeCoverage(store, 'default', manifest(hour));
}
