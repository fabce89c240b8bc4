/**
 * How the Activity Log records a user deactivated, deleted or brought back: read by the
 * `activity_after_deactivation` alert (detect-activity-after-deactivation.ts) and, spelled the same,
 * by functions/queries/activity_after_deactivation.sql (a test keeps the two equal:
 * test/core/alerts/deactivation-forms.test.ts). Domo documents no such vocabulary (the seed page
 * lists none, and no public page found names one), so the forms are tolerant and unconfirmed:
 * - an event of category `other` on object type `USER` or `USER_STATE` (any letter case), the
 *   object's id the user's;
 * - a reactivation when its action type or event text holds a word starting `reactivat`,
 *   `activat`, `enabl`, `restor` or `undelet` (any letter case; not after a letter, so
 *   `Deactivated` is not one); else a deactivation when one starts `deactivat`, `delet` or `disabl`.
 * A new form goes here and in the SQL (docs/alerts.md, "activity_after_deactivation").
 */
import type { EventRecord } from '../lake/event-record.ts';
import { sqlLower } from '../sql-lower.ts';
import { sqlUpper } from '../sql-upper.ts';
import { userIdOf } from './user-id.ts';

/** The object types of a user's own state, upper case. */
export const USER_STATE_OBJECT_TYPES = ['USER', 'USER_STATE'] as const;

/** A reactivation's words, as a regular expression both engines and JavaScript read alike. */
export const REACTIVATION_PATTERN = '(^|[^a-z])(reactivat|activat|enabl|restor|undelet)';

/** A deactivation's (or deletion's) words. */
export const DEACTIVATION_PATTERN = '(^|[^a-z])(deactivat|delet|disabl)';

const REACTIVATION = new RegExp(REACTIVATION_PATTERN, 'u');
const DEACTIVATION = new RegExp(DEACTIVATION_PATTERN, 'u');

type StateFields = Pick<EventRecord, 'category' | 'object_type' | 'object_id' | 'action_type' | 'event_text'>;

/** A user's state changed: `off` deactivated or deleted, `on` brought back; `userId` as written. */
export interface UserStateChange {
  state: 'off' | 'on';
  userId: string;
}

/** What the SQL reads: `lower(action_type || ' ' || event_text)`, a missing one as empty. */
const wordsOf = (event: StateFields): string =>
  sqlLower(`${event.action_type ?? ''} ${event.event_text ?? ''}`);

/** The change of a user's state `event` records, or null when it records none. */
export function userStateChange(event: StateFields): UserStateChange | null {
  if (event.category !== 'other') return null;
  const type = sqlUpper(event.object_type ?? '');
  if (!(USER_STATE_OBJECT_TYPES as readonly string[]).includes(type)) return null;
  const userId = event.object_id === null ? null : userIdOf({ user_id: event.object_id });
  if (userId === null) return null;
  const words = wordsOf(event);
  if (REACTIVATION.test(words)) return { state: 'on', userId };
  if (DEACTIVATION.test(words)) return { state: 'off', userId };
  return null;
}
