/**
 * admin_changes' `keep_rows` `gravest`, what the weekly report reads: the rows a cut at max_rows
 * keeps are those the mail's ranking (privileged-change-rank.ts, `changesToList`) would list
 * first, every actor's gravest before anyone's second. Read first in time, a week of over 1,000
 * routine changes (a directory sync's) before an intruder's role raise left it unread, unranked,
 * and "Needs attention" named a routine change as the gravest (review R2PRIV). Each change's kind
 * is read by the SQL and by privileged-change-kind.ts alike, `İ` and a byte order mark too.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { changesToList } from '../../functions/core/report/privileged-change-rank.ts';
import type { PrivilegedChange } from '../../functions/core/report/report-model.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');

let minute = 0;
/** A change in the week, a minute after the one before. */
const change = (fields: Partial<EventRecord>): EventRecord => {
  minute += 1;
  const at = new Date(FROM + 3_600_000 + minute * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  return event(at, {
    action_type: 'UPDATED',
    object_type: 'GROUP',
    object_id: `g${minute}`,
    object_name: 'Sales',
    user_id: '10',
    user_name: 'Sync',
    ...fields,
  });
};

const events: EventRecord[] = [
  // A directory sync: routine group and user updates first in the week.
  ...Array.from({ length: 12 }, () => change({})),
  change({ object_type: 'user', object_id: '501', object_name: 'Bo' }),
  // Then the graver kinds, by others.
  change({ user_id: '11', user_name: 'Ann', object_type: 'ACCESS_TOKEN', action_type: 'CREATED' }),
  change({ user_id: '11', user_name: 'Ann', object_type: 'ACCESS_TOKEN', action_type: 'DELETED' }),
  change({ user_id: '12', user_name: 'Eve', object_type: 'ROLE', object_name: 'Viewer' }),
  change({ user_id: '14', user_name: 'Sam', actor_id: '13', actor_name: 'Yara' }),
  change({ user_id: '15', user_name: 'Lee', object_type: 'USER', object_id: '15' }),
  change({ user_id: '16', user_name: 'Kim', object_type: 'LOGIN_SETTINGS' }),
  change({ user_id: '17', user_name: 'Max', additional_comment: 'Added Bo to ADMINS' }),
  change({ user_id: '17', user_name: 'Max', object_name: 'Tier admin group' }),
  // The sync's own graver change, late: its gravest.
  change({ object_type: 'AUTHORITY', object_name: 'export' }),
  // No user named: by name, else each its own.
  change({ user_id: '0', user_name: 'Scheduler', actor_id: ' 0 ' }),
  change({ user_id: '0', user_name: 'Scheduler', object_type: 'ACCESS_TOKEN', action_type: ' created ' }),
  change({ user_id: null, user_name: null, actor_id: null }),
  change({ user_id: null, user_name: '', actor_id: '' }),
  // Acting as nobody named: the actor's; and naming the user as actor: the user's own.
  change({ user_id: '0', user_name: null, actor_id: '13', actor_name: 'Yara', object_type: 'USER' }),
  change({
    user_id: '12',
    user_name: 'Eve',
    actor_id: '12',
    actor_name: 'Eve',
    object_type: 'USER',
    object_id: '12',
  }),
  // Letters past ASCII as the SQL reads them (functions/core/sql-lower.ts): `İ` lowers to `i`, so
  // this names admin; a byte order mark is no white space to `trim`, so this token is no `CREATED`.
  change({ user_id: '18', user_name: 'Ada', object_name: 'ADM\u0130NS' }),
  change({ user_id: '19', user_name: 'Ola', object_type: 'ACCESS_TOKEN', action_type: 'created\uFEFF' }),
  // A sign-in is no change, though its object is a USER.
  event('2026-11-16 05:00:00', { category: 'login', action_type: 'LOGIN', object_type: 'USER' }),
];

const fixture = useFixtureEngine('admin-gravest-', { events });

const text = (row: QueryRow, key: string): string | null => (row[key] === null ? null : String(row[key]));

/** A row as the report reads it (build-report-model.ts), with its event id. */
const changeOf = (row: QueryRow): PrivilegedChange & { eventId: string } => ({
  eventId: String(row.event_id),
  eventTime: String(row.event_time),
  userId: text(row, 'user_id'),
  userName: text(row, 'user_name'),
  actorId: text(row, 'actor_id'),
  actorName: text(row, 'actor_name'),
  actionType: text(row, 'action_type'),
  objectType: text(row, 'object_type'),
  objectId: text(row, 'object_id'),
  objectName: text(row, 'object_name'),
  comment: text(row, 'additional_comment'),
  ipAddress: text(row, 'ip_address'),
});

async function rows(keep: string, max: number): Promise<QueryRow[]> {
  const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
  const result = await fixture.engine.run('admin_changes', {
    ...params,
    keep_rows: keep,
    max_rows: String(max),
  });
  return result.rows;
}

describe('admin_changes keep_rows gravest', () => {
  it("keeps the rows the mail's ranking lists first, at every cut", async () => {
    const all = (await rows('oldest', 1000)).map(changeOf);
    expect(all).toHaveLength(events.length - 1);
    for (let max = 1; max <= all.length; max++) {
      const kept = await rows('gravest', max);
      const ranked = changesToList(all, max).shown as (PrivilegedChange & { eventId: string })[];
      expect(kept.map((r) => r.event_id).sort(), `max_rows ${max}`).toEqual(
        ranked.map((c) => c.eventId).sort(),
      );
      // Listed in time order, with the count of all.
      expect(kept.map((r) => r.event_id)).toEqual(
        all.map((c) => c.eventId).filter((id) => kept.some((r) => r.event_id === id)),
      );
      expect(kept[0]?.total_rows).toBe(all.length);
    }
  });

  it('keeps the role raise past a thousand routine changes', async () => {
    const kept = await rows('gravest', 3);
    expect(kept.map((r) => r.object_type)).toContain('ROLE');
    expect((await rows('oldest', 3)).map((r) => r.object_type)).not.toContain('ROLE');
  });
});
