/**
 * The answers of the investigation queries (user_activity, data_movement, dataset_deletions,
 * admin_changes, address_activity, user_addresses), computed in plain
 * TypeScript from the lake's records: the independent side of their known-answer tests. Nothing
 * here runs SQL or reuses the queries' logic; it follows docs/queries.md with loops and maps.
 */

import { userStateChange } from '../../../functions/core/alerts/deactivation-forms.ts';
import { sprayNetworkOf } from '../../../functions/core/alerts/spray-groups.ts';
import { userIdOf } from '../../../functions/core/alerts/user-id.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../../functions/core/ports.ts';
import { sqlUpper } from '../../../functions/core/sql-upper.ts';
import { DAY_MS } from '../../../functions/core/time-units.ts';
import { localParts, namesUser, type Period, sprayKeyOf } from './expected-answers.ts';

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

/** The user's part in an event, as docs/queries.md says of user_activity; null: none. */
function involvementOf(e: EventRecord, userId: string, named = ''): string | null {
  if (e.user_id === userId) return 'user';
  if (e.actor_id === userId) return 'actor';
  if (sqlUpper(e.object_type ?? '') === 'USER' && e.object_id === userId) return 'subject';
  if (namesInWords(e, named)) return 'named';
  return null;
}

/** ASCII punctuation: docs/queries.md's `named` reads each as a space, on both sides. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
const spaced = (text: string) => text.toLowerCase().replaceAll(PUNCTUATION, ' ');

/**
 * Whether the entry holds named as whole words (docs/queries.md): its words in a row, a space or
 * punctuation on each side, the browser string aside.
 */
function namesInWords(e: EventRecord, named: string): boolean {
  const wanted = spaced(named).trim();
  if (wanted === '') return false;
  const entry = e.raw.toLowerCase().replaceAll((e.browser_details ?? '').toLowerCase(), '');
  return ` ${spaced(entry)} `.includes(` ${wanted} `);
}

/** Domo's authenticationMethod of the entry as served, when it is a JSON scalar (a text here). */
function authenticationMethod(raw: string): string | null {
  try {
    const value: unknown = (JSON.parse(raw) as Record<string, unknown>).authenticationMethod;
    return value === undefined || value === null || typeof value === 'object' ? null : String(value);
  } catch {
    return null;
  }
}

/** The columns every investigation list gives an event (its time, place in the list and extras aside). */
const listedEvent = (e: EventRecord): QueryRow => ({
  user_id: e.user_id,
  user_name: e.user_name,
  actor_id: e.actor_id,
  actor_name: e.actor_name,
  action_type: e.action_type,
  event_text: e.event_text,
  object_type: e.object_type,
  object_id: e.object_id,
  object_name: e.object_name,
  additional_comment: e.additional_comment,
  ip_address: e.ip_address,
  country: e.ip_country,
  asn: e.ip_asn,
  org: e.ip_org,
  authentication_method: authenticationMethod(e.raw),
  category: e.category,
  event_id: e.event_id,
});

/**
 * user_activity: the user's events, those made on another's behalf, those done to the user and,
 * given a name, those whose entry names them, in time, the first maxRows.
 */
export function userActivity(
  all: readonly EventRecord[],
  p: Period,
  userId: string,
  timeZone: string,
  maxRows: number,
  named = '',
): QueryRow[] {
  const mine = all
    .filter((e) => inPeriod(e, p) && involvementOf(e, userId, named) !== null)
    .sort(byTimeThenId);
  return mine.slice(0, maxRows).map((e) => ({
    event_time: ts(e.event_time_ms),
    local_time: localTime(e.event_time_ms, timeZone),
    involvement: involvementOf(e, userId, named),
    ...listedEvent(e),
    device: e.device,
    browser_details: e.browser_details,
    total_rows: mine.length,
  }));
}

/** The object types admin_changes lists, as docs/queries.md names them. */
const ACCESS_OBJECTS = new Set([
  'ACCESS_TOKEN',
  'ACCOUNT',
  'AUTHORITY',
  'EASY_INVITE_LINK',
  'GROUP',
  'LOGIN_SETTINGS',
  'PROXIER_EMAIL',
  'PROXY_USER',
  'PUBLIC_URL',
  'ROLE',
  'SSO_PAGE',
  'USER',
  'USER_STATE',
  'VIRTUAL_USER',
]);

/**
 * admin_changes: the period's events on access objects but sign-ins, in time, the first maxRows,
 * each with its local time in timeZone.
 */
export function adminChanges(
  all: readonly EventRecord[],
  p: Period,
  maxRows: number,
  timeZone = 'UTC',
): QueryRow[] {
  const changes = all
    .filter(
      (e) =>
        inPeriod(e, p) &&
        ACCESS_OBJECTS.has(sqlUpper(e.object_type ?? '')) &&
        !['login', 'login_failed', 'lockout', 'logout'].includes(e.category),
    )
    .sort(byTimeThenId);
  // A change Domo served twice (X, X-1, …: identical twins) is X's row, its copies counted as twins;
  // a twin whose X is not among the changes stays a row of its own.
  const firstOf = (id: string) => /^([0-9a-f]{64})-[0-9]+$/.exec(id)?.[1] ?? id;
  const ids = new Set(changes.map((e) => e.event_id));
  const listed = changes.filter((e) => firstOf(e.event_id) === e.event_id || !ids.has(firstOf(e.event_id)));
  const twinsOf = (e: EventRecord) =>
    changes.filter((c) => c.event_id !== e.event_id && firstOf(c.event_id) === e.event_id).length;
  return listed.slice(0, maxRows).map((e) => ({
    event_time: ts(e.event_time_ms),
    local_time: localTime(e.event_time_ms, timeZone),
    ...listedEvent(e),
    twins: twinsOf(e),
    total_rows: listed.length,
  }));
}

/**
 * The address an entry of a forwarded-for list names, as docs/queries.md reads one: without its
 * port or brackets, an IPv4-mapped one as its IPv4 address, letter case aside.
 */
function entryAddress(entry: string): string {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](:\d+)?$/.exec(text)?.[1];
  const bare = bracketed ?? (/^[\d.]+:\d+$/.test(text) ? text.slice(0, text.indexOf(':')) : text);
  return bare.startsWith('::ffff:') && bare.includes('.') ? bare.slice('::ffff:'.length) : bare;
}

/** address_activity's rows: the events with the address (or an address of the a.b.c.0/24) as an entry. */
export function addressActivity(
  all: readonly EventRecord[],
  p: Period,
  address: string,
  maxRows: number,
  timeZone = 'UTC',
): QueryRow[] {
  const wanted = address.toLowerCase();
  const network = wanted.endsWith('.0/24') ? wanted.slice(0, -'0/24'.length) : undefined;
  const names = (entry: string) =>
    network === undefined
      ? entry === wanted
      : entry.startsWith(network) && /^\d{1,3}$/.test(entry.slice(network.length));
  const found = all
    .filter((e) => inPeriod(e, p) && (e.ip_address ?? '').split(',').map(entryAddress).some(names))
    .sort(byTimeThenId);
  return found.slice(0, maxRows).map((e) => ({
    event_time: ts(e.event_time_ms),
    local_time: localTime(e.event_time_ms, timeZone),
    ...listedEvent(e),
    device: e.device,
    browser_details: e.browser_details,
    total_rows: found.length,
  }));
}

/** The latest of some events (by time, then id), or undefined. */
const latestOf = (events: readonly EventRecord[]): EventRecord | undefined =>
  [...events].sort(byTimeThenId).at(-1);

/** One row of user_addresses: the user's events from one address, and the others' from it. */
function addressRow(
  key: string,
  mine: readonly EventRecord[],
  others: readonly EventRecord[],
  timeZone: string,
) {
  const placed = latestOf(mine.filter((e) => e.ip_country !== null));
  const times = mine.map((e) => e.event_time_ms);
  const shared = key === '' ? [] : others;
  const otherKey = (e: EventRecord) =>
    namesUser(e.user_id) ? `id ${e.user_id}` : e.user_name !== null ? `name ${e.user_name}` : null;
  const named = shared.filter((e) => otherKey(e) !== null);
  const labels = [...new Set(named.map((e) => `${e.user_name ?? ''} (${e.user_id ?? ''})`))].sort();
  return {
    key,
    first: Math.min(...times),
    row: {
      ip_address: latestOf(mine)?.ip_address ?? '',
      // The alerts' network group of the address: of its events keyed by a public address (a
      // bracketed IPv4 one is no key), each the same.
      network: mine.map((e) => sprayNetworkOf(e.ip_address)).find((n) => n !== null) ?? null,
      country: placed?.ip_country ?? null,
      asn: placed?.ip_asn ?? null,
      org: placed?.ip_org ?? null,
      first_time: ts(Math.min(...times)),
      first_local_time: localTime(Math.min(...times), timeZone),
      last_time: ts(Math.max(...times)),
      last_local_time: localTime(Math.max(...times), timeZone),
      events: mine.length,
      sign_ins: mine.filter((e) => e.category === 'login').length,
      failed_logins: mine.filter((e) => e.category === 'login_failed').length,
      other_users: new Set(named.map(otherKey)).size,
      other_sign_ins: shared.filter((e) => e.category === 'login').length,
      other_user_names: labels.length === 0 ? null : labels.slice(0, 10).join(', '),
    },
  };
}

/** An IPv4 address alone in brackets, its port or not (octets without leading zeros). */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const BRACKETED_V4 = new RegExp(
  `^\\[(${OCTET}(?:\\.${OCTET}){3})\\](?::(?:[0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?$`,
);

/**
 * user_addresses' rows: per address (as failed_logins_by_ip keys one, and an IPv4 address alone in
 * brackets as that address) of the user's events (its own, or made acting as another), the user's figures there and the other users' of the period.
 */
export function userAddresses(
  all: readonly EventRecord[],
  p: Period,
  userId: string,
  timeZone = 'UTC',
): QueryRow[] {
  const keyOf = (e: EventRecord) => {
    const key = sprayKeyOf(e.ip_address ?? '');
    return BRACKETED_V4.exec(key)?.[1] ?? key;
  };
  const period = all.filter((e) => inPeriod(e, p));
  const byUser = (e: EventRecord) => e.user_id === userId || e.actor_id === userId;
  const keys = new Set(period.filter(byUser).map(keyOf));
  const rows = [...keys].map((key) =>
    addressRow(
      key,
      period.filter((e) => byUser(e) && keyOf(e) === key),
      period.filter((e) => !byUser(e) && keyOf(e) === key),
      timeZone,
    ),
  );
  rows.sort((a, b) => a.first - b.first || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.slice(0, 1000).map(({ row }) => ({ ...row, total_rows: rows.length }));
}

const MOVE_KINDS: Readonly<Record<string, string | undefined>> = {
  EXPORTED: 'export',
  SHARED: 'share',
  DELETED: 'delete',
};

/** The kind of data movement an event is, by Domo's action and object types in any case. */
export function movementKind(e: EventRecord): string | undefined {
  const action = sqlUpper(e.action_type ?? '');
  const object = sqlUpper(e.object_type ?? '');
  if (object === 'ACCESS_TOKEN' && action === 'CREATED') return 'token_created';
  if (object === 'ACCESS_TOKEN' && action === 'DELETED') return 'token_deleted';
  if (object === 'ACTIVITY_LOG' && action === 'VIEWED') return 'activity_log_viewed';
  return MOVE_KINDS[action];
}

/** Who did an event, by what docs/queries.md says of data_movement, and for whom when not themself. */
interface Deed {
  event: EventRecord;
  /** The doer's id: the actor acting for another, else the user; null when neither names one. */
  id: string | null;
  /** The doer's name on this event (an empty actor name is none). */
  name: string | null;
  onBehalf: boolean;
  /** The user acted for, when the event names one. */
  forUser: string | null;
}

function deedOf(e: EventRecord): Deed {
  const onBehalf = namesUser(e.actor_id) && e.actor_id !== e.user_id;
  if (onBehalf) {
    const forUser = namesUser(e.user_id) ? e.user_id : null;
    return { event: e, id: e.actor_id, name: e.actor_name === '' ? null : e.actor_name, onBehalf, forUser };
  }
  return {
    event: e,
    id: namesUser(e.user_id) ? e.user_id : null,
    name: e.user_name,
    onBehalf,
    forUser: null,
  };
}

/** The latest non-null name among a doer's events, by time then id. */
function latestName(deeds: readonly Deed[]): string | null {
  const named = deeds.filter((d) => d.name !== null).sort((a, b) => byTimeThenId(a.event, b.event));
  return named.at(-1)?.name ?? null;
}

/** The users acted for, as docs/queries.md says: the first 10 ids, then how many more. */
function onBehalfOf(ids: readonly string[]): string | null {
  if (ids.length === 0) return null;
  const more = ids.length > 10 ? ` and ${ids.length - 10} more` : '';
  return `${ids.slice(0, 10).join(', ')}${more}`;
}

/** One data_movement row: a doer's events of one kind. */
function kindRow(
  userId: string | null,
  name: string | null,
  kind: string,
  deeds: readonly Deed[],
  total: number,
) {
  const list = deeds.map((d) => d.event);
  const times = list.map((e) => e.event_time_ms);
  const types = [...new Set(list.flatMap((e) => (e.object_type === null ? [] : [e.object_type])))].sort();
  const objects = list.flatMap((e) =>
    e.object_id === null ? [] : [`${e.object_type ?? ''}:${e.object_id}`],
  );
  const forUsers = [...new Set(deeds.flatMap((d) => (d.forUser === null ? [] : [d.forUser])))].sort();
  return {
    user_id: userId,
    user_name: name,
    kind,
    events: list.length,
    on_behalf_events: deeds.filter((d) => d.onBehalf).length,
    on_behalf_users: forUsers.length,
    on_behalf_of: onBehalfOf(forUsers),
    objects: new Set(objects).size,
    object_types: types.length === 0 ? null : types.join(', '),
    first_time: ts(Math.min(...times)),
    last_time: ts(Math.max(...times)),
    user_events: total,
  };
}

const byText = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
/** Text order with null last, as `NULLS LAST`. */
const byTextNullLast = (a: unknown, b: unknown) =>
  a === null ? (b === null ? 0 : 1) : b === null ? -1 : byText(a, b);

/** The period's events by who did them: a doer without an id is one per name the events carry. */
function byDoer(all: readonly EventRecord[], p: Period): Deed[][] {
  const doers = new Map<string, Deed[]>();
  for (const e of all.filter((x) => inPeriod(x, p))) {
    const deed = deedOf(e);
    const key = JSON.stringify(deed.id !== null ? ['id', deed.id] : ['name', deed.name]);
    doers.set(key, [...(doers.get(key) ?? []), deed]);
  }
  return [...doers.values()];
}

type MovementRow = QueryRow & { name_key: string | null };

/** One doer's rows, a kind each, with the doer's total of every kind. */
function doerRows(deeds: readonly Deed[]): MovementRow[] {
  const id = deeds[0]?.id ?? null;
  const name = id === null ? (deeds[0]?.name ?? null) : latestName(deeds);
  const kinds = new Map<string, Deed[]>();
  for (const d of deeds) {
    const kind = movementKind(d.event);
    if (kind !== undefined) kinds.set(kind, [...(kinds.get(kind) ?? []), d]);
  }
  const total = [...kinds.values()].reduce((sum, list) => sum + list.length, 0);
  return [...kinds].map(([kind, list]) => ({
    ...kindRow(id, name, kind, list, total),
    name_key: id === null ? name : null,
  }));
}

/** data_movement: per doer and kind, with the doer's total of every kind; most first. */
export function dataMovement(all: readonly EventRecord[], p: Period): QueryRow[] {
  const rows = byDoer(all, p).flatMap(doerRows);
  rows.sort(
    (a, b) =>
      Number(b.user_events) - Number(a.user_events) ||
      byTextNullLast(a.user_id, b.user_id) ||
      byTextNullLast(a.name_key, b.name_key) ||
      byText(a.kind, b.kind),
  );
  return rows.map(({ name_key, ...row }) => row);
}

/** The object types dataset_deletions reads as a dataset, as docs/queries.md names them. */
const DATASET_TYPES = new Set(['DATA_SOURCE', 'DATASOURCE', 'DATASET']);

/** The Monday (YYYY-MM-DD) of the ISO week holding the instant's local date in the zone. */
function localWeek(ms: number, timeZone: string): string {
  const day = Date.parse(`${localParts(ms, timeZone).date}T00:00:00Z`);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * dataset_deletions: every DELETED event on a dataset in the period, in time, with its doer (as
 * data_movement's) and how many datasets that doer deleted in the same local ISO week.
 */
export function datasetDeletions(all: readonly EventRecord[], p: Period, timeZone: string): QueryRow[] {
  const deeds = all
    .filter(
      (e) =>
        inPeriod(e, p) &&
        sqlUpper(e.action_type ?? '') === 'DELETED' &&
        DATASET_TYPES.has(sqlUpper(e.object_type ?? '')),
    )
    .sort(byTimeThenId)
    .map((e) => ({ ...deedOf(e), week: localWeek(e.event_time_ms, timeZone) }));
  const keyOf = (d: (typeof deeds)[number]) =>
    JSON.stringify([d.week, d.id !== null ? ['id', d.id] : ['name', d.name]]);
  const perWeek = new Map<string, number>();
  for (const d of deeds) perWeek.set(keyOf(d), (perWeek.get(keyOf(d)) ?? 0) + 1);
  return deeds.map((d) => ({
    week: d.week,
    event_time: ts(d.event.event_time_ms),
    user_id: d.id,
    user_name: d.name,
    on_behalf_of: d.forUser,
    week_deletions: perWeek.get(keyOf(d)) ?? 0,
    dataset_id: d.event.object_id,
    dataset_name: d.event.object_name,
    object_type: d.event.object_type,
    additional_comment: d.event.additional_comment,
    ip_address: d.event.ip_address,
    country: d.event.ip_country,
    event_id: d.event.event_id,
  }));
}

/** bulk_data_movement's move: an export or a share, by Domo's action type in any case. */
const moveOf = (e: EventRecord): 'export' | 'share' | undefined =>
  (({ EXPORTED: 'export', SHARED: 'share' }) as const)[sqlUpper(e.action_type ?? '')];

/** One doer's bulk_data_movement figures: the period's moves against the history's. */
function bulkRow(deeds: readonly Deed[], fromMs: number, periodS: number, historyS: number): QueryRow {
  const period = deeds.filter((d) => d.event.event_time_ms >= fromMs);
  const moved = period.filter((d) => moveOf(d.event) !== undefined).map((d) => d.event);
  const history = deeds.filter((d) => d.event.event_time_ms < fromMs);
  const historyMoves = history.filter((d) => moveOf(d.event) !== undefined).length;
  const times = moved.map((e) => e.event_time_ms);
  const objects = moved.flatMap((e) =>
    e.object_id === null ? [] : [`${e.object_type ?? ''}:${e.object_id}`],
  );
  const exports = moved.filter((e) => moveOf(e) === 'export');
  return {
    user_id: deeds[0]?.id ?? null,
    user_name: latestName(deeds),
    finding: historyMoves === 0 ? 'first_time' : 'above_baseline',
    moves: moved.length,
    exports: exports.length,
    shares: moved.length - exports.length,
    dataset_exports: exports.filter((e) => sqlUpper(e.object_type ?? '') === 'DATA_SOURCE').length,
    objects: new Set(objects).size,
    history_moves: historyMoves,
    history_events: history.length,
    baseline_moves: Math.round(((historyMoves * periodS) / historyS) * 10) / 10,
    first_time: times.length === 0 ? null : ts(Math.min(...times)),
    last_time: times.length === 0 ? null : ts(Math.max(...times)),
  };
}

/**
 * bulk_data_movement, as docs/queries.md says: per user (who did it, named), the period's exports and
 * shares against the user's own in the history, whose length runs from the lake's first event in it;
 * listed when first-time, or at least 5 and 3 times the history's rate; most moves first.
 */
export function bulkDataMovement(
  all: readonly EventRecord[],
  p: Period & { historyFromMs: number },
): QueryRow[] {
  const scanned = all.filter((e) => e.event_time_ms >= p.historyFromMs && e.event_time_ms < p.toMs);
  const historyTimes = scanned.filter((e) => e.event_time_ms < p.fromMs).map((e) => e.event_time_ms);
  if (historyTimes.length === 0) return [];
  const periodS = p.toMs / 1000 - p.fromMs / 1000;
  const historyS = p.fromMs / 1000 - Math.min(...historyTimes) / 1000;
  const doers = new Map<string, Deed[]>();
  for (const e of scanned) {
    const deed = deedOf(e);
    if (deed.id !== null) doers.set(deed.id, [...(doers.get(deed.id) ?? []), deed]);
  }
  const rows = [...doers.values()]
    .map((deeds) => bulkRow(deeds, p.fromMs, periodS, historyS))
    .filter((r) => Number(r.moves) > 0 && Number(r.history_events) > 0)
    .filter(
      (r) =>
        r.history_moves === 0 ||
        (Number(r.moves) >= 5 && Number(r.moves) * historyS >= 3 * Number(r.history_moves) * periodS),
    );
  return rows.sort((a, b) => Number(b.moves) - Number(a.moves) || byText(a.user_id, b.user_id));
}

/** One action on one object of a user's, in the period and in the history. */
interface ObjectDeeds {
  action: string | null;
  objectType: string | null;
  objectId: string | null;
  period: EventRecord[];
  history: EventRecord[];
}

/** The latest name a list of events gives their object (by time, then event id), or null. */
function latestObjectName(events: readonly EventRecord[]): string | null {
  const named = events.filter((e) => e.object_name !== null).sort(byTimeThenId);
  return named.at(-1)?.object_name ?? null;
}

/** A row of user_unusual_activity, its finding decided, before the filter of views. */
function unusualRow(o: ObjectDeeds, userHistory: number, periodS: number, historyS: number | null): QueryRow {
  const events = o.period.length;
  const historyEvents = o.history.length;
  let finding: string | null = null;
  if (userHistory === 0) finding = 'no_history';
  else if (historyEvents === 0) finding = 'first_time';
  else if (historyS !== null && events >= 5 && events * historyS >= 3 * historyEvents * periodS)
    finding = 'above_usual';
  const times = o.period.map((e) => e.event_time_ms);
  return {
    action_type: o.action,
    object_type: o.objectType,
    object_id: o.objectId,
    object_name: latestObjectName([...o.period, ...o.history]),
    finding,
    events,
    history_events: historyEvents,
    usual_events: historyS === null ? null : Math.round(((historyEvents * periodS) / historyS) * 10) / 10,
    first_time: ts(Math.min(...times)),
    last_time: ts(Math.max(...times)),
  };
}

/**
 * user_unusual_activity, as docs/queries.md says: one user's deeds (who did it: the actor acting for
 * another, else the user) per action (in capitals) and object, the period's against the history's,
 * whose length runs from the lake's first event in it; first_time, above_usual (at least 5 and 3
 * times the history's rate) or no_history; views from 5 events alone; moves first, then most events.
 */
export function userUnusualActivity(
  all: readonly EventRecord[],
  p: Period & { historyFromMs: number },
  userId: string,
  maxRows = 1000,
): QueryRow[] {
  const scanned = all.filter((e) => e.event_time_ms >= p.historyFromMs && e.event_time_ms < p.toMs);
  const historyTimes = scanned.filter((e) => e.event_time_ms < p.fromMs).map((e) => e.event_time_ms);
  const periodS = p.toMs / 1000 - p.fromMs / 1000;
  const historyS = historyTimes.length === 0 ? null : p.fromMs / 1000 - Math.min(...historyTimes) / 1000;
  const objects = new Map<string, ObjectDeeds>();
  for (const e of scanned) {
    if (deedOf(e).id !== userId) continue;
    const action = e.action_type === null ? null : sqlUpper(e.action_type);
    const key = JSON.stringify([action, e.object_type, e.object_id]);
    const o = objects.get(key) ?? {
      action,
      objectType: e.object_type,
      objectId: e.object_id,
      period: [],
      history: [],
    };
    (e.event_time_ms >= p.fromMs ? o.period : o.history).push(e);
    objects.set(key, o);
  }
  const userHistory = [...objects.values()].reduce((n, o) => n + o.history.length, 0);
  const isView = (r: QueryRow) => (r.action_type === 'VIEWED' ? 1 : 0);
  const rows = [...objects.values()]
    .filter((o) => o.period.length > 0)
    .map((o) => unusualRow(o, userHistory, periodS, historyS))
    .filter((r) => r.finding !== null && (r.action_type !== 'VIEWED' || Number(r.events) >= 5))
    .sort(
      (a, b) =>
        isView(a) - isView(b) ||
        Number(b.events) - Number(a.events) ||
        byTextNullLast(a.action_type, b.action_type) ||
        byTextNullLast(a.object_type, b.object_type) ||
        byTextNullLast(a.object_id, b.object_id),
    );
  return rows.slice(0, maxRows).map((r) => ({ ...r, total_rows: rows.length }));
}

/**
 * activity_after_deactivation: each act (any event but failures and lockouts, for its user and for
 * its actor acting as another) whose user's latest state change before it, in an earlier
 * millisecond, is a deactivation; a reactivation in the same millisecond as a deactivation taken
 * as after it. The state changes are the alert's reading (deactivation-forms.ts), never acts.
 */
export function activityAfterDeactivation(
  all: readonly EventRecord[],
  p: Period,
  maxRows: number,
): QueryRow[] {
  const events = all.filter((e) => inPeriod(e, p)).sort(byTimeThenId);
  const changes = events.flatMap((e) => {
    const change = userStateChange(e);
    return change === null ? [] : [{ e, subject: e.object_id, on: change.state === 'on' }];
  });
  const stateAt = (subject: string, ms: number) =>
    changes
      .filter((c) => c.subject === subject && c.e.event_time_ms < ms)
      .reduce<(typeof changes)[number] | undefined>((latest, c) => {
        const key = (x: (typeof changes)[number]) => x.e.event_time_ms * 2 + (x.on ? 1 : 0);
        return latest === undefined || key(c) > key(latest) ? c : latest;
      }, undefined);
  const acts = events
    .filter((e) => userStateChange(e) === null && !['login_failed', 'lockout'].includes(e.category))
    .flatMap((e) => [
      ...(userIdOf(e) === null ? [] : [{ e, subject: e.user_id as string, role: 'user' }]),
      ...(userIdOf({ user_id: e.actor_id }) === null || (e.user_id !== null && e.actor_id === e.user_id)
        ? []
        : [{ e, subject: e.actor_id as string, role: 'actor' }]),
    ]);
  const listed = acts.flatMap(({ e, subject, role }) => {
    const latest = stateAt(subject, e.event_time_ms);
    return latest === undefined || latest.on ? [] : [{ e, subject, role, off: latest.e }];
  });
  return listed.slice(0, maxRows).map(({ e, subject, role, off }) => ({
    event_time: ts(e.event_time_ms),
    deactivated_user_id: subject,
    deactivated_at: ts(off.event_time_ms),
    deactivated_by: off.user_name,
    acted_as: role,
    user_id: e.user_id,
    user_name: e.user_name,
    actor_id: e.actor_id,
    actor_name: e.actor_name,
    category: e.category,
    action_type: e.action_type,
    event_text: e.event_text,
    object_type: e.object_type,
    object_id: e.object_id,
    object_name: e.object_name,
    ip_address: e.ip_address,
    country: e.ip_country,
    authentication_method: authenticationMethod(e.raw),
    event_id: e.event_id,
    deactivation_event_id: off.event_id,
    total_rows: listed.length,
  }));
}
