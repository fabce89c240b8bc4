import { topLevelNumberLiterals } from './number-literals.ts';

/**
 * What a Domo Activity Log entry may contain (domo-api-notes §2). Every field is optional, ids may
 * arrive as numbers or strings, and unknown fields are kept: the entry is read, never reshaped.
 */

/** Entry fields that map to a string column, with the column each one fills. */
export const ENTRY_STRING_FIELDS = {
  actionType: 'action_type',
  eventText: 'event_text',
  objectType: 'object_type',
  objectId: 'object_id',
  objectName: 'object_name',
  userId: 'user_id',
  userName: 'user_name',
  userType: 'user_type',
  actorId: 'actor_id',
  actorName: 'actor_name',
  actorType: 'actor_type',
  additionalComment: 'additional_comment',
  ipAddress: 'ip_address',
  device: 'device',
  browserDetails: 'browser_details',
} as const;

export type EntryField = keyof typeof ENTRY_STRING_FIELDS;
export type EntryColumn = (typeof ENTRY_STRING_FIELDS)[EntryField];

export type EntryRead =
  | { ok: true; time: unknown; fields: Record<EntryColumn, string | null> }
  | { ok: false; reason: string };

/**
 * Reads the known fields of one raw entry. Scalars become strings; a nested object or array where a
 * scalar belongs means Domo changed the shape, so the entry is refused with a reason rather than
 * guessed at. Given the entry's text as served, a number `JSON.parse` could not hold exactly
 * (beyond 2^53, or not an integer) is taken as written there, so ids keep every digit.
 */
export function readAuditEntry(value: unknown, text?: string): EntryRead {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `entry is ${kindOf(value)}, expected a JSON object` };
  }
  const entry = value as Record<string, unknown>;
  if (!('time' in entry)) {
    // `{}` is more likely a fault of Domo's serialiser than an entry that lost its time.
    const empty = Object.keys(entry).length === 0;
    return {
      ok: false,
      reason: empty ? 'entry is an empty object' : `entry has no time field${timeRenamed(entry)}`,
    };
  }
  // Each member read by its own name into an object literal: one shape for every entry's fields,
  // where a loop over the field list made keyed reads and stores (~0.5 µs of the entry's CPU).
  const read = new FieldReader(text);
  const fields: Record<EntryColumn, string | null | undefined> = {
    action_type: read.column('actionType', entry.actionType),
    event_text: read.column('eventText', entry.eventText),
    object_type: read.column('objectType', entry.objectType),
    object_id: read.column('objectId', entry.objectId),
    object_name: read.column('objectName', entry.objectName),
    user_id: read.column('userId', entry.userId),
    user_name: read.column('userName', entry.userName),
    user_type: read.column('userType', entry.userType),
    actor_id: read.column('actorId', entry.actorId),
    actor_name: read.column('actorName', entry.actorName),
    actor_type: read.column('actorType', entry.actorType),
    additional_comment: read.column('additionalComment', entry.additionalComment),
    ip_address: read.column('ipAddress', entry.ipAddress),
    device: read.column('device', entry.device),
    browser_details: read.column('browserDetails', entry.browserDetails),
  };
  if (read.notScalar !== undefined) {
    const field = read.notScalar;
    return { ok: false, reason: `field ${field} is ${kindOf(entry[field])}, expected a scalar${NESTED_FIX}` };
  }
  return { ok: true, time: entry.time, fields: fields as Record<EntryColumn, string | null> };
}

/**
 * Why an entry that names neither who nor what is quarantined. One reason for every such entry, so
 * `verify` and the report count them as one fault: the raw entry shows what it did carry.
 */
export const UNKNOWN_SHAPE_REASON =
  'entry has no userId, userName, actionType, objectType or eventText (each absent or null): ' +
  "who did what is not in any field read, and Domo's entry shape may have changed (fields renamed " +
  'or nested); a pull of this hour by a version that reads the new shape stores it as an event';

/**
 * Whether an entry read carries one of the fields that say who did what (domo-api-notes §2: every
 * documented entry has them). Without any, a renamed or nested shape (`user: {id, name}`,
 * `action_type`) was stored with empty columns and counted complete: the alerts and the report saw
 * no logins, and nothing could repair the lake, as enrich rebuilds from the columns and a re-pull
 * keeps a stored event. Quarantined, it stays visible and a later pull stores it (same id). An
 * empty string is a value Domo sent (`actorName: ""` in its sample), not a missing field.
 */
export function carriesKnownFields(fields: Record<EntryColumn, string | null>): boolean {
  return (
    fields.user_id !== null ||
    fields.user_name !== null ||
    fields.action_type !== null ||
    fields.object_type !== null ||
    fields.event_text !== null
  );
}

/** A key named in a reason: a field name's characters, no quote, space or line break of Domo's. */
const NAMEABLE_KEY = /^[\w.-]{1,40}$/;

/**
 * The keys of an entry without `time` that look like it renamed (`eventTime`, `timestamp`,
 * `createdDate`), as words for the reason: "no time field" alone left the on-call to open the raw
 * entries to learn that Domo renamed it, and to what. Only such names, so the reason reads the same
 * for every entry of the new shape (verify and the run group reasons by their wording).
 */
function timeRenamed(entry: Record<string, unknown>): string {
  const keys = Object.keys(entry)
    .filter((key) => NAMEABLE_KEY.test(key) && /time|date/i.test(key))
    .slice(0, 3);
  if (keys.length === 0) return '';
  return ` but has ${keys.join(', ')}: Domo may have renamed it; a release that reads the new name stores these entries when their hours are re-pulled`;
}

/**
 * What a nested field's reason adds: why it is refused whole, not stored without that column, and
 * what stores it. Its column would otherwise be guessed at (the object's text, or empty).
 */
const NESTED_FIX =
  ': Domo may have nested it; a release that reads the new shape stores these entries when their hours are re-pulled';

/** Reads an entry's fields one by one, remembering the first that is not a scalar. */
class FieldReader {
  /** The first field (in {@link ENTRY_STRING_FIELDS}' order) holding an object or array. */
  notScalar: EntryField | undefined;
  private literals: Map<string, string> | undefined;

  constructor(private readonly text: string | undefined) {}

  /** The field's text: a number JSON.parse could not hold exactly is taken as written in `text`. */
  column(field: EntryField, raw: unknown): string | null | undefined {
    let asText = scalarText(raw);
    if (typeof raw === 'number' && !Number.isSafeInteger(raw) && this.text !== undefined) {
      this.literals ??= topLevelNumberLiterals(this.text);
      asText = this.literals.get(field) ?? asText;
    }
    if (asText === undefined) this.notScalar ??= field;
    return asText;
  }
}

/** A scalar as its text (null when absent), or undefined for an object or array. */
function scalarText(raw: unknown): string | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  return undefined;
}

/** What a value is, for a reason: `null`, `an array`, `an object`, `a string`… */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
