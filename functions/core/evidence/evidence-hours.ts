/**
 * What an evidence bundle takes from the lake, hour by hour: the lines of the hour's activity and
 * quarantine objects that concern the case, exactly as stored, and the hour's coverage manifest as
 * stored, with the SHA-256 and size of each object read (what the digest chain records of it).
 */
import { nameKey } from '../alerts/detection.ts';
import { type SprayScope, sprayGroupOf } from '../alerts/spray-groups.ts';
import { sha256Hex } from '../lake/digest.ts';
import { activityKey, coverageKey, quarantineKey } from '../lake/layout.ts';
import { ndjsonGzipLines, parseNdjsonLine } from '../lake/ndjson.ts';
import type { ObjectStore } from '../ports.ts';
import { sqlUpper } from '../sql-upper.ts';
import { HOUR_MS } from '../time-units.ts';

/**
 * A case by address, not by user (the bundle of an alert naming no user): the events of one group
 * as a password spray's level groups its failures (spray-groups.ts, sprayGroupOf): of an address
 * (its key: the client entry, without port or proxy hops; an IPv6 one's /64), of a network (an
 * IPv4 /24, an IPv6 /48), of a network owner (`AS14061`: every event from a public address the
 * geo database placed in it, whoever's), or under names of no user (`instance`, group
 * `any address`).
 */
export interface AddressCase {
  scope: SprayScope;
  group: string;
}

/**
 * The case: one instance's whole UTC hours `[fromMs, toMs)`, and one user's events, one address's
 * or everyone's.
 */
export interface EvidenceRequest {
  instance: string;
  fromMs: number;
  toMs: number;
  /** Domo's id of the user; undefined (and no address): every event of the hours. */
  userId?: string;
  /** The address, network or owner whose events are kept; never with a user. */
  address?: AddressCase;
  /**
   * The name of no user id whose events are kept (the bundle of a lockout or burst of failures
   * Domo gave no user id, which the alerts key by the name they carry); never with a user or an
   * address. `''`: failures with neither.
   */
  userName?: string;
  /** What the bundle answers, as its maker noted it (a ticket, an alert): one printable line. */
  note?: string;
}

/** One object of the lake read for the bundle. */
export interface ObjectRead {
  key: string;
  sha256: string;
  bytes: number;
}

/** An NDJSON object read: its lines, and how many of them the bundle keeps. */
export interface LinesRead extends ObjectRead {
  lines: number;
  kept: number;
}

/** One hour of the case: which of its objects the lake holds, and what was kept of them. */
export interface EvidenceHour {
  /** UTC, ISO 8601: the hour's start. */
  hour: string;
  activity: LinesRead | null;
  coverage: ObjectRead | null;
  quarantine: LinesRead | null;
}

/** What the hours gave: each hour's account (the lines and manifests went to the sink). */
export interface EvidenceHours {
  hours: EvidenceHour[];
}

/**
 * Where the lines kept and the manifests go as each hour is read, in time order, so that no more
 * than an hour of them is held at once: a year of a busy account's lines does not fit a heap (nor
 * one string). Each call may return a promise, which is awaited before the next hour is read.
 */
export interface EvidenceSink {
  /** The kept lines of an hour's activity object, as stored, in its order (none: not called). */
  events(lines: readonly string[]): void | Promise<void>;
  /** The kept lines of an hour's quarantine object, likewise. */
  quarantined(lines: readonly string[]): void | Promise<void>;
  /** An hour's coverage manifest, as stored, by its key in the lake. */
  manifest(key: string, body: Uint8Array): void | Promise<void>;
}

type EventFields = Partial<
  Record<'user_id' | 'actor_id' | 'object_type' | 'object_id' | 'ip_address' | 'ip_asn', unknown>
>;

/**
 * A field's value as the queries compare it: DuckDB reads each column as text, so a JSON number
 * (which the lake's writer never stores, but a line of another tool might hold) is compared as its
 * digits, as the table gives it; a whole number only (a fraction or an exponent reads as another
 * text there, which no id is). Anything else but a string is no id.
 */
function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/**
 * Whether a stored event concerns the user as the user_activity query matches them: its user, its
 * actor (acting as another), or the user it was done to (a USER object of that id), each field
 * compared as the query compares it ({@link idText}).
 */
export function eventNamesUser(record: EventFields, userId: string): boolean {
  if (idText(record.user_id) === userId || idText(record.actor_id) === userId) return true;
  return (
    typeof record.object_type === 'string' &&
    sqlUpper(record.object_type) === 'USER' &&
    idText(record.object_id) === userId
  );
}

/**
 * A stored event's group at `scope`, as the spray's detector groups an event (check.py's
 * `source_group` is its twin): a user id as {@link idText} reads it, an address that is no text as
 * none, an owner's number only when a whole number; null when it is in none.
 */
export function addressGroupOf(record: EventFields, scope: SprayScope): string | null {
  const asn = record.ip_asn;
  const event = {
    user_id: idText(record.user_id) ?? null,
    ip_address: typeof record.ip_address === 'string' ? record.ip_address : null,
    ip_asn: typeof asn === 'number' && Number.isSafeInteger(asn) ? asn : null,
  };
  return sprayGroupOf(event, scope);
}

/** Whether a stored event is of the address case's group ({@link addressGroupOf}). */
export const eventOfAddress = (record: EventFields, address: AddressCase): boolean =>
  addressGroupOf(record, address.scope) === address.group;

/**
 * Whether a row of address_activity is of the address case's group, by the rule the lines were
 * kept by ({@link eventOfAddress}): address_activity (evidence-alert.ts, addressQueryParams) also lists an event whose address is a proxy hop of
 * its list, or an owner's event from an address the alerts key to none.
 */
export const rowOfAddress = (
  row: { ip_address?: unknown; asn?: unknown; user_id?: unknown },
  address: AddressCase,
): boolean => eventOfAddress({ ip_address: row.ip_address, ip_asn: row.asn, user_id: row.user_id }, address);

/**
 * Whether a stored event is under the name of no user id, as the alerts key a failure or lockout
 * of none (detection.ts, userKey): its user id names no user (empty, `0`, absent) and its user name
 * is `name`, all its spellings as one ({@link nameKey}: case, width and spaces aside). check.py's
 * `of_name` is its twin.
 */
export const eventOfName = (record: EventFields & { user_name?: unknown }, name: string): boolean =>
  addressGroupOf(record, 'instance') !== null &&
  nameKey(typeof record.user_name === 'string' ? record.user_name : '') === nameKey(name);

/**
 * Whether a quarantined entry may be under the name: its text holds it, both as {@link nameKey}
 * folds them; a case of no name (failures with neither id nor name) keeps none, as no text to
 * search for. check.py's `quarantined_of_name` is its twin.
 */
export function quarantinedOfName(record: { raw?: unknown }, name: string): boolean {
  const key = nameKey(name);
  if (key === '' || typeof record.raw !== 'string') return false;
  return searchedTexts(record.raw).some((text) => nameKey(text).includes(key));
}

/**
 * The patterns of the texts in an entry that may be addresses, each bounded by characters no
 * address of its family goes on with, as address_activity.sql bounds one: an IPv4 address with no
 * digit beside it, nor a dot with a digit past it (`client:5.6.7.9`, `ip=5.6.7.9,`, `from
 * 5.6.7.9.`), and a run of hex digits, colons and dots (an IPv6 address, bare or bracketed, or an
 * IPv4 one with its port). check.py's `address_texts` reads them as {@link addressTexts} does.
 */
export const ADDRESS_PATTERNS = {
  V4: '(?<![0-9])(?<![0-9]\\.)[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?![0-9]|\\.[0-9])',
  RUN: '[0-9A-Fa-f:.]+',
  /** What no address begins or ends with: a single colon (`via:2a00::1`, `2a00::1: refused`). */
  LONE_COLON: '^:(?!:)|(?<!:):$',
} as const;

/**
 * The texts of an entry that may be addresses ({@link ADDRESS_PATTERNS}): its IPv4 addresses, and
 * its runs without the dots at their ends and a lone colon at either. Until 2026-12-07 only whole
 * runs of hex digits, colons, dots and brackets were read, so an address glued to a word by a
 * colon or a hex letter (`client:5.6.7.9`: the run `:5.6.7.9`) was no address; hex letters stay
 * address characters (`face:2a00::1` reads as `face:2a00::1`).
 */
export function addressTexts(raw: string): string[] {
  const runs = (raw.match(new RegExp(ADDRESS_PATTERNS.RUN, 'g')) ?? []).map((run) =>
    run.replace(/^\.+|\.+$/g, '').replace(new RegExp(ADDRESS_PATTERNS.LONE_COLON, 'g'), ''),
  );
  return [...(raw.match(new RegExp(ADDRESS_PATTERNS.V4, 'g')) ?? []), ...runs];
}

/**
 * Whether a quarantined entry may be of the address case: its text holds an address of the group
 * (keyed as an event's, {@link addressGroupOf}: an IPv6 address of the /64, an address of the /24
 * or /48; {@link addressTexts}), or, for one address, the group's text itself (an address no key
 * reads, lower-cased), as a user's entries are searched for their id. Until 2026-12-07 only the
 * group's text was searched for: a /64 or a network, never written in an entry, kept none. An
 * owner or names of no user are no text to search for, so none is kept (hours.json still counts
 * each object's entries). check.py's `quarantined_of_address` is its twin.
 */
export function quarantinedOfAddress(record: { raw?: unknown }, address: AddressCase): boolean {
  const { scope, group } = address;
  if (typeof record.raw !== 'string' || (scope !== 'address' && scope !== 'network')) return false;
  return searchedTexts(record.raw).some(
    (raw) =>
      (scope === 'address' && raw.includes(group)) ||
      addressTexts(raw).some((text) => addressGroupOf({ ip_address: text }, scope) === group),
  );
}

/** A JSON escape: `\\u` and four hex digits (a UTF-16 unit), or `\\` and one character. */
export const JSON_ESCAPE = '\\\\(?:u([0-9A-Fa-f]{4})|(["\\\\/bfnrt]))';

const ESCAPED: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The text with its JSON escapes undone (`\u0034\u0032` is `42`), read as text, left to right:
 * not parsed, so an entry that is no JSON (cut short, the reason it was quarantined) is read too,
 * and check.py's `json_unescaped` gives the same text whatever its Python. Until 2026-12-07 the
 * entry was parsed and written again, which check.py did not do: an entry holding the id only
 * through its escapes was kept, and one left out passed `check.py --lake`.
 */
export function jsonUnescaped(text: string): string {
  return text.replace(new RegExp(JSON_ESCAPE, 'g'), (_, hex: string | undefined, char: string) =>
    hex === undefined ? (ESCAPED[char] ?? char) : String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * The texts a quarantined entry is searched in for the case: its text as stored and, when it holds
 * a JSON escape, that text with its escapes undone ({@link jsonUnescaped}): an id, a name or an
 * address spelled with escapes is the same to any reader of the JSON. check.py's `searched_texts`.
 */
function searchedTexts(raw: string): string[] {
  const unescaped = jsonUnescaped(raw);
  return unescaped === raw ? [raw] : [raw, unescaped];
}

/**
 * Whether a quarantined entry may concern the user: the entry's text holds the id anywhere (as a
 * string or a number, in any field), as the runbook's search of `raw` does, or holds it once its
 * JSON escapes are undone ({@link searchedTexts}); a reader judges each.
 */
export function quarantinedNamesUser(record: { raw?: unknown }, userId: string): boolean {
  if (typeof record.raw !== 'string') return false;
  return searchedTexts(record.raw).some((text) => text.includes(userId));
}

type LineTest = (record: object) => boolean;

/** The lines of an NDJSON object the test keeps, as stored, and the object's account. */
function keptLines(
  key: string,
  body: Uint8Array,
  keep: LineTest | undefined,
): { read: LinesRead; kept: string[] } {
  let lines = 0;
  const kept: string[] = [];
  for (const line of ndjsonGzipLines(body, key)) {
    lines += 1;
    if (keep === undefined || keep(parseNdjsonLine(line, key, lines))) kept.push(line);
  }
  return { read: { key, sha256: sha256Hex(body), bytes: body.byteLength, lines, kept: kept.length }, kept };
}

/** An object's kept lines handed to the sink (when it kept any), and its account. */
async function linesTo(
  object: { key: string; object: { body: Uint8Array } | undefined } | undefined,
  keep: LineTest | undefined,
  to: (lines: readonly string[]) => void | Promise<void>,
): Promise<LinesRead | null> {
  if (!object?.object) return null;
  const { read, kept } = keptLines(object.key, object.object.body, keep);
  if (kept.length > 0) await to(kept);
  return read;
}

const objectRead = (key: string, body: Uint8Array): ObjectRead => ({
  key,
  sha256: sha256Hex(body),
  bytes: body.byteLength,
});

/** The tests the case keeps lines by: of the user, the address, the name; none, every line. */
function caseTests({ userId, address, userName }: EvidenceRequest): {
  keepEvent?: LineTest;
  keepQuarantined?: LineTest;
} {
  if (userId !== undefined) {
    return {
      keepEvent: (record) => eventNamesUser(record, userId),
      keepQuarantined: (record) => quarantinedNamesUser(record, userId),
    };
  }
  if (address !== undefined) {
    return {
      keepEvent: (record) => eventOfAddress(record, address),
      keepQuarantined: (record) => quarantinedOfAddress(record, address),
    };
  }
  if (userName !== undefined) {
    return {
      keepEvent: (record) => eventOfName(record, userName),
      keepQuarantined: (record) => quarantinedOfName(record, userName),
    };
  }
  return {};
}

/**
 * Reads every hour of the case from the store, in time order, handing its kept lines and its
 * manifest to `sink` before the next hour is read: an hour's lines in the order its object holds
 * them. Hours without an object are accounted for as such (null), not skipped.
 */
export async function readEvidenceHours(
  store: ObjectStore,
  request: EvidenceRequest,
  sink: EvidenceSink,
): Promise<EvidenceHours> {
  const { keepEvent, keepQuarantined } = caseTests(request);
  const { instance } = request;
  const found: EvidenceHours = { hours: [] };
  for (let hourMs = request.fromMs; hourMs < request.toMs; hourMs += HOUR_MS) {
    const [activity, coverage, quarantine] = await Promise.all(
      [activityKey, coverageKey, quarantineKey].map(async (keyOf) => {
        const key = keyOf(instance, hourMs);
        return { key, object: await store.get(key) };
      }),
    );
    const activityRead = await linesTo(activity, keepEvent, (lines) => sink.events(lines));
    if (coverage?.object) await sink.manifest(coverage.key, coverage.object.body);
    const quarantineRead = await linesTo(quarantine, keepQuarantined, (lines) => sink.quarantined(lines));
    found.hours.push({
      hour: new Date(hourMs).toISOString(),
      activity: activityRead,
      coverage: coverage?.object ? objectRead(coverage.key, coverage.object.body) : null,
      quarantine: quarantineRead,
    });
  }
  return found;
}
