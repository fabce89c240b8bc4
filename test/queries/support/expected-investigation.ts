/**
 * The answers of the two investigation queries (user_activity, data_movement), computed in plain
 * TypeScript from the lake's records: the independent side of their known-answer tests. Nothing
 * here runs SQL or reuses the queries' logic; it follows docs/queries.md with loops and maps.
 */

import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../../functions/core/ports.ts';
import { localParts, type Period } from './expected-answers.ts';

const ts = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
const inPeriod = (e: EventRecord, p: Period) => e.event_time_ms >= p.fromMs && e.event_time_ms < p.toMs;
const byTimeThenId = (a: EventRecord, b: EventRecord) =>
  a.event_time_ms - b.event_time_ms || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

/** `2026-10-26 09:28:17 +01:00`: the wall clock in the zone (platform data, not SQL) and its offset. */
export function localTime(ms: number, timeZone: string): string {
  const { date, hour, minute, second, offset } = localParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date} ${two(hour)}:${two(minute)}:${two(second)} ${offset}`;
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

/** The kind of data movement an event is, by Domo's action and object types in any case. */
export function movementKind(e: EventRecord): string | undefined {
  const action = e.action_type?.toUpperCase();
  const object = e.object_type?.toUpperCase();
  if (object === 'ACCESS_TOKEN' && action === 'CREATED') return 'token_created';
  if (object === 'ACCESS_TOKEN' && action === 'DELETED') return 'token_deleted';
  if (object === 'ACTIVITY_LOG' && action === 'VIEWED') return 'activity_log_viewed';
  return { EXPORTED: 'export', SHARED: 'share', DELETED: 'delete' }[action ?? ''];
}

/** The latest non-null name among a user's events, by time then id. */
function latestName(events: readonly EventRecord[]): string | null {
  const named = events.filter((e) => e.user_name !== null).sort(byTimeThenId);
  return named.at(-1)?.user_name ?? null;
}

/** One data_movement row: a user's events of one kind. */
function kindRow(
  userId: string,
  name: string | null,
  kind: string,
  list: readonly EventRecord[],
  total: number,
) {
  const times = list.map((e) => e.event_time_ms);
  const types = [...new Set(list.flatMap((e) => (e.object_type === null ? [] : [e.object_type])))].sort();
  const objects = list.flatMap((e) =>
    e.object_id === null ? [] : [`${e.object_type ?? ''}:${e.object_id}`],
  );
  return {
    user_id: userId,
    user_name: name,
    kind,
    events: list.length,
    objects: new Set(objects).size,
    object_types: types.length === 0 ? null : types.join(', '),
    first_time: ts(Math.min(...times)),
    last_time: ts(Math.max(...times)),
    user_events: total,
  };
}

const byText = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

/** data_movement: per user and kind, with the user's total of every kind; most first. */
export function dataMovement(all: readonly EventRecord[], p: Period): QueryRow[] {
  const users = new Map<string, EventRecord[]>();
  for (const e of all) {
    if (inPeriod(e, p) && e.user_id !== null) users.set(e.user_id, [...(users.get(e.user_id) ?? []), e]);
  }
  const rows: QueryRow[] = [];
  for (const [userId, events] of users) {
    const kinds = new Map<string, EventRecord[]>();
    for (const e of events) {
      const kind = movementKind(e);
      if (kind !== undefined) kinds.set(kind, [...(kinds.get(kind) ?? []), e]);
    }
    const total = [...kinds.values()].reduce((sum, list) => sum + list.length, 0);
    for (const [kind, list] of kinds) rows.push(kindRow(userId, latestName(events), kind, list, total));
  }
  return rows.sort(
    (a, b) =>
      Number(b.user_events) - Number(a.user_events) || byText(a.user_id, b.user_id) || byText(a.kind, b.kind),
  );
}
