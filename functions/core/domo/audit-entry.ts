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

/** The field-to-column pairs, listed once rather than for every entry. */
const FIELD_COLUMNS = Object.entries(ENTRY_STRING_FIELDS) as [EntryField, EntryColumn][];

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
  if (!('time' in entry)) return { ok: false, reason: 'entry has no time field' };
  const fields = {} as Record<EntryColumn, string | null>;
  let literals: Map<string, string> | undefined;
  for (const [field, column] of FIELD_COLUMNS) {
    const raw = entry[field];
    let asText = scalarText(raw);
    if (typeof raw === 'number' && !Number.isSafeInteger(raw) && text !== undefined) {
      literals ??= topLevelNumberLiterals(text);
      asText = literals.get(field) ?? asText;
    }
    if (asText === undefined) {
      return { ok: false, reason: `field ${field} is ${kindOf(entry[field])}, expected a scalar` };
    }
    fields[column] = asText;
  }
  return { ok: true, time: entry.time, fields };
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
