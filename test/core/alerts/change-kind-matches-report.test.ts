/**
 * The alerts and the weekly report rank a privileged change by one classification
 * (functions/core/privileged-change-kind.ts): the detector reads it from the event's fields as the
 * report reads it from admin_changes' row, so a change the report calls about admin power the
 * message lists as that too.
 */
import { describe, expect, it } from 'vitest';
import { detectPrivilegedChanges } from '../../../functions/core/alerts/detect-privileged-changes.ts';
import { alertEventOf } from '../../../functions/core/alerts/kept-events.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { actorOf } from '../../../functions/core/privileged-change-actor.ts';
import { changeKind } from '../../../functions/core/report/privileged-change-rank.ts';
import type { PrivilegedChange } from '../../../functions/core/report/report-model.ts';
import { hourInput, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-29T09:00:00Z');

const change = (i: number, fields: Partial<EventRecord>): EventRecord =>
  record({ event_time_ms: H + i * 60_000, category: 'other', user_id: '7', user_name: 'Ann', ...fields });

const EVENTS = [
  change(1, { object_type: 'ACCESS_TOKEN', action_type: 'CREATED', object_name: 'sync' }),
  change(2, { object_type: 'GROUP', action_type: 'UPDATED', object_name: 'Sales' }),
  change(3, { object_type: 'GROUP', action_type: 'UPDATED', object_name: 'Admins' }),
  change(4, { object_type: 'ROLE', action_type: 'UPDATED', object_name: 'Editor' }),
  change(5, { object_type: 'USER', action_type: 'UPDATED', object_id: '7' }),
  change(6, { object_type: 'USER', action_type: 'UPDATED', object_id: '8', additional_comment: 'to Admin' }),
  change(7, { object_type: 'LOGIN_SETTINGS', action_type: 'UPDATED' }),
  change(8, { object_type: 'GROUP', action_type: 'UPDATED', actor_id: '9', actor_name: 'Bo' }),
  change(9, { object_type: 'ACCESS_TOKEN', action_type: 'DELETED' }),
];

/** The row admin_changes returns for the event, as the report's model reads it. */
const rowOf = (e: EventRecord): PrivilegedChange => ({
  eventTime: lakeTimestamp(e.event_time_ms),
  userId: e.user_id,
  userName: e.user_name,
  actorId: e.actor_id,
  actorName: e.actor_name,
  actionType: e.action_type,
  objectType: e.object_type,
  objectId: e.object_id,
  objectName: e.object_name,
  comment: e.additional_comment,
  ipAddress: e.ip_address,
});

describe("a privileged change alert's kind", () => {
  it("is the weekly report's kind of the same change, for every kind", () => {
    const events = EVENTS.flatMap((e) => alertEventOf(e) ?? []);
    const alerts = detectPrivilegedChanges(hourInput(H, events));
    expect(alerts.map((a) => a.change_kind)).toEqual(EVENTS.map((e) => changeKind(rowOf(e))));
    expect(new Set(alerts.map((a) => a.change_kind))).toEqual(
      new Set(['token_made', 'other', 'admin', 'own_account', 'sign_in_settings', 'as_another']),
    );
  });
});

describe('who made a privileged change, to the alert and to the report', () => {
  /** The alert of one group change by user 7 with `actor`, and the report's doer of its row. */
  const both = (actor: string) => {
    const event = change(1, {
      object_type: 'GROUP',
      action_type: 'UPDATED',
      actor_id: actor,
      actor_name: 'Bo',
    });
    const [alert] = detectPrivilegedChanges(
      hourInput(
        H,
        [event].flatMap((e) => alertEventOf(e) ?? []),
      ),
    );
    return { alert, doer: actorOf(rowOf(event)).id };
  };

  it('is the actor written with white space around, as admin_changes compares the ids exactly', () => {
    // ' 7' is not '7' to the SQL (`actor_id <> user_id`): done as another, the doer ' 7'. The
    // alert trimmed both with trim(): by the user, its own change_kind saying as another.
    for (const actor of [' 7', '7\u00a0']) {
      const { alert, doer } = both(actor);
      expect(doer).toBe(actor);
      expect(alert?.actor_id).toBe(actor);
      expect(alert?.change_kind).toBe('as_another');
      expect(alert?.evidence).toContain('acting as this user');
    }
  });

  it('is the user when the actor is the user, or names nobody, on both sides', () => {
    for (const actor of ['7', ' 0 ', '']) {
      const { alert, doer } = both(actor);
      expect(doer).toBe('7');
      expect(alert?.actor_id).toBeUndefined();
      expect(alert?.evidence).not.toContain('acting as');
    }
  });
});
