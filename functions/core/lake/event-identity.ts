import type { EventRecord } from './event-record.ts';

/**
 * Who did what to which object at which millisecond: what a value Domo fills in when it answers (a
 * card's `objectName` after a rename, a user's `userName`) leaves alone. Undefined for an event
 * with neither a user nor an action: it says too little to be told apart by these.
 */
export function eventIdentity(record: EventRecord): string | undefined {
  if (record.user_id === null && record.action_type === null) return undefined;
  return JSON.stringify([
    record.event_time_ms,
    record.user_id,
    record.actor_id,
    record.action_type,
    record.object_type,
    record.object_id,
  ]);
}
