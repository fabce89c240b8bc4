/**
 * The answers of the two investigation queries (user_activity, data_movement), computed in plain
 * TypeScript from the lake's records: the independent side of their known-answer tests. Nothing
 * here runs SQL or reuses the queries' logic; it follows docs/queries.md with loops and maps.
 */

import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../../functions/core/ports.ts';
import type { Period } from './expected-answers.ts';

const ts = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
const inPeriod = (e: EventRecord, p: Period) => e.event_time_ms >= p.fromMs && e.event_time_ms < p.toMs;
const byTimeThenId = (a: EventRecord, b: EventRecord) =>
  a.event_time_ms - b.event_time_ms || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

const formats = new Map<string, Intl.DateTimeFormat>();

/** `2026-10-26 09:28:17 +01:00`: the wall clock in the zone (platform data, not SQL) and its offset. */
export function localTime(ms: number, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  return `${new Date(wall).toISOString().slice(0, 10)} ${two(get('hour'))}:${two(get('minute'))}:${two(get('second'))} ${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
}

/** user_activity: the user's events and those made on another's behalf, in time, the first maxRows. */
export function userActivity(
  all: readonly EventRecord[],
  p: Period,
  userId: string,
  timeZone: string,
  maxRows: number,
): QueryRow[] {
  const mine = all
    .filter((e) => inPeriod(e, p) && (e.user_id === userId || e.actor_id === userId))
    .sort(byTimeThenId);
  return mine.slice(0, maxRows).map((e) => ({
    event_time: ts(e.event_time_ms),
    local_time: localTime(e.event_time_ms, timeZone),
    user_id: e.user_id,
    user_name: e.user_name,
    actor_id: e.actor_id,
    actor_name: e.actor_name,
    action_type: e.action_type,
    event_text: e.event_text,
    object_type: e.object_type,
    object_id: e.object_id,
    object_name: e.object_name,
    ip_address: e.ip_address,
    country: e.ip_country,
    asn: e.ip_asn,
    org: e.ip_org,
    device: e.device,
    browser_details: e.browser_details,
    category: e.category,
    event_id: e.event_id,
    total_rows: mine.length,
  }));
}
