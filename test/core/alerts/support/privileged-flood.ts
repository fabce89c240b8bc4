import type { Alert } from '../../../../functions/core/alerts/alert.ts';
import { detectPrivilegedChanges } from '../../../../functions/core/alerts/detect-privileged-changes.ts';
import { alertEventOf } from '../../../../functions/core/alerts/kept-events.ts';
import type { EventRecord } from '../../../../functions/core/lake/event-record.ts';
import { HOUR_MS, SECOND_MS } from '../../../../functions/core/time-units.ts';
import { hourInput, record } from './alert-fixtures.ts';
import { NOW } from './delivery-fixtures.ts';

/**
 * An insider's hour (2026-12-06): 500 routine privileged changes, group edits and tokens made in
 * turn, every six seconds after a role raised to Admin and a group edit done acting as another
 * user. Listed newest first, the 50 rows of a message held only routine changes.
 */
export const FLOOD_HOUR = NOW - 2 * HOUR_MS;
const INSIDER = { user_id: '700', user_name: 'Ivo Insider' };

const change = (atMs: number, fields: Partial<EventRecord>): EventRecord =>
  record({ event_time_ms: atMs, category: 'other', ip_address: '10.0.0.7', ...INSIDER, ...fields });

export const ROLE_RAISE = 'Role changed from Participant to Admin';
export const ACTED_AS = 'by Ivo Insider (700) acting as this user';

/** The insider's hour as lake records: the role raise, the change as another user, 500 routine ones. */
export function floodRecords(): EventRecord[] {
  const raise = change(FLOOD_HOUR + 60 * SECOND_MS, {
    action_type: 'UPDATED',
    event_text: 'User updated',
    object_type: 'USER',
    object_id: '701',
    object_name: 'Pat Peer',
    additional_comment: ROLE_RAISE,
  });
  const asAnother = change(FLOOD_HOUR + 90 * SECOND_MS, {
    user_id: '702',
    user_name: 'Lee Other',
    actor_id: '700',
    actor_name: 'Ivo Insider',
    action_type: 'UPDATED',
    event_text: 'Group updated',
    object_type: 'GROUP',
    object_id: 'g-finance',
    object_name: 'Finance',
  });
  const routine = Array.from({ length: 500 }, (_, i) =>
    change(
      FLOOD_HOUR + 120 * SECOND_MS + i * 6 * SECOND_MS,
      i % 2 === 0
        ? {
            action_type: 'UPDATED',
            event_text: 'Group updated',
            object_type: 'GROUP',
            object_id: `g${i}`,
            object_name: 'Sales team',
          }
        : {
            action_type: 'CREATED',
            event_text: 'Access token created',
            object_type: 'ACCESS_TOKEN',
            object_id: `t${i}`,
            object_name: `sync ${i}`,
          },
    ),
  );
  return [raise, asAnother, ...routine];
}

/** The 502 alerts the detector raises for {@link floodRecords}. */
export function floodAlerts(): Alert[] {
  const events = floodRecords().flatMap((r) => alertEventOf(r) ?? []);
  return detectPrivilegedChanges(hourInput(FLOOD_HOUR, events));
}
