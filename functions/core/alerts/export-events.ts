/**
 * Which events are exports, who did them and what they took, as functions/queries/bulk_data_movement.sql
 * reads them (the `bulk_export` alert and `query bulk_data_movement` count the same events; a test
 * holds the two equal over shared fixtures: test/core/alerts/bulk-export-match-sql.test.ts):
 * - an export is an event whose `action_type` is `EXPORTED`, any letter case (a card's or a
 *   dataset's data taken out as a file); a share (`SHARED`) is not one here;
 * - its doer is the actor when one other than the user is named (an admin acting as the user),
 *   else the user; an id of ASCII white space or `0` names nobody (user-id.ts), and an export of
 *   nobody named is not counted. Ids are compared and kept as written, as the SQL groups them;
 * - its object is `object_type:object_id` as written; one without an id is no object counted.
 */
import type { EventRecord } from '../lake/event-record.ts';
import { sqlUpper } from '../sql-upper.ts';
import { userIdOf } from './user-id.ts';

type ExportFields = Pick<EventRecord, 'action_type' | 'user_id' | 'user_name' | 'actor_id' | 'actor_name'>;

/** Whether `event` is an export: `EXPORTED`, any letter case (the SQL's `upper`). */
export const isExport = (event: Pick<EventRecord, 'action_type'>): boolean =>
  typeof event.action_type === 'string' && sqlUpper(event.action_type) === 'EXPORTED';

/** Whether an id names a user, as the SQL's `translate(…) NOT IN ('', '0')` reads it. */
const named = (id: string | null): id is string => id !== null && userIdOf({ user_id: id }) !== null;

/** Who did an export: id and name as written, or null when it names nobody. */
export function exportDoer(event: ExportFields): { id: string; name: string | null } | null {
  const onBehalf = named(event.actor_id) && (event.user_id === null || event.actor_id !== event.user_id);
  if (onBehalf)
    return { id: event.actor_id as string, name: event.actor_name === '' ? null : event.actor_name };
  return named(event.user_id) ? { id: event.user_id, name: event.user_name } : null;
}

/** Whether the doer acted as another user (Domo's actor). */
export const actedAsAnother = (event: ExportFields): boolean => {
  const doer = exportDoer(event);
  return doer !== null && doer.id !== event.user_id;
};

/** The object an export took, `object_type:object_id` as the SQL keys it; null without an id. */
export const exportObjectKey = (event: Pick<EventRecord, 'object_type' | 'object_id'>): string | null =>
  event.object_id === null ? null : `${event.object_type ?? ''}:${event.object_id}`;

/**
 * A lake line whose `action_type` is `EXPORTED` whole, any ASCII letter case: what the alerts run's
 * text check of a line looks for before parsing it, when the exports are read (kept-events.ts). No
 * letter past ASCII upper-cases to one of `EXPORTED`'s, and a value spelled with `\u` escapes is
 * caught by that check's own test for them.
 */
export const EXPORTED_LINE = /"action_type"\s*:\s*"exported"/i;
