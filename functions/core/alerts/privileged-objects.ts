/**
 * Which events are privileged changes: changes to who may do what (a role raised, a user added to
 * a group, an access token made, sign-in or SSO settings changed). The object types are those
 * functions/queries/admin_changes.sql lists, any letter case; a test keeps the two lists equal
 * (test/core/alerts/privileged-objects.test.ts), so the `privileged_change` alert and
 * `query admin_changes` (and the weekly report's "Privileged changes") name the same events.
 * The sign-in categories are left out there, and are never `other`, the only category read here.
 */
import type { EventRecord } from '../lake/event-record.ts';
import { sqlUpper } from '../sql-upper.ts';

/** Domo's object types of access and its settings, upper case (admin_changes.sql). */
export const PRIVILEGED_OBJECT_TYPES = [
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
] as const;

const PRIVILEGED = new Set<string>(PRIVILEGED_OBJECT_TYPES);

/** Whether an object type is one of {@link PRIVILEGED_OBJECT_TYPES}, as the SQL's `upper` reads it. */
export const isPrivilegedObjectType = (objectType: string | null | undefined): boolean =>
  typeof objectType === 'string' && PRIVILEGED.has(sqlUpper(objectType));

/** Whether `event` is a privileged change: category `other` and a privileged object type. */
export const isPrivilegedChange = (event: Pick<EventRecord, 'category' | 'object_type'>): boolean =>
  event.category === 'other' && isPrivilegedObjectType(event.object_type);

/**
 * A lake line's `object_type` holding one of the types whole, any ASCII letter case, or any value
 * with a letter past ASCII: what the alerts run's text check of a line looks for before parsing it
 * (kept-events.ts). The writer spells the key and value so (`"object_type":"ACCESS_TOKEN"`; white
 * space allowed for any other writer); inside `raw`, Domo's own `objectType` is another key, its
 * quotes escaped. A value spelled with `\u` escapes is caught by that check's own test for them.
 * Past ASCII, {@link sqlUpper} and the SQL's `upper` make `ſ` an `S` and `ı` an `I`, which the
 * regular expression's `i` does not: such a value is parsed, and {@link isPrivilegedObjectType}
 * decides (review R2PRIV: `ACCEſS_TOKEN` was counted by admin_changes and dropped here).
 */
export const PRIVILEGED_OBJECT_LINE = new RegExp(
  `"object_type"\\s*:\\s*"(?:(?:${PRIVILEGED_OBJECT_TYPES.join('|')})"|[^"]*[^\\x00-\\x7f])`,
  'i',
);
