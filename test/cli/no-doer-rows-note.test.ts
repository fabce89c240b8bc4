import { describe, expect, it } from 'vitest';
import { noUserEventsNote } from '../../functions/cli/no-user-events-note.ts';

/**
 * data_movement and admin_changes with a doer_id that finds nothing say so: a name given where
 * Domo's number belongs matches no event, and `0 rows` alone read as "this user did nothing".
 */
describe('the note on a doer_id with no rows', () => {
  const none = { rows: [] };
  it('names the id and what it must be, for both queries', () => {
    for (const name of ['data_movement', 'admin_changes']) {
      expect(noUserEventsNote({ name }, { doer_id: 'Ada' }, none)).toBe(
        'note: nothing the query counts was done by doer_id "Ada" in the period (as the user, or as the actor acting for another); doer_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names',
      );
    }
  });

  it('says for bulk_data_movement, which lists only users it judged, what no row can mean', () => {
    expect(noUserEventsNote({ name: 'bulk_data_movement' }, { doer_id: 'Ada' }, none)).toBe(
      'note: bulk_data_movement does not list doer_id "Ada": that user moved no data in the period (as the user, or as the actor acting for another), no more than their history says, or had no history to be judged by; query data_movement with the same doer_id lists their moves. doer_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names',
    );
    expect(noUserEventsNote({ name: 'bulk_data_movement' }, { doer_id: '' }, none)).toBeUndefined();
    expect(
      noUserEventsNote({ name: 'bulk_data_movement' }, { doer_id: '7' }, { rows: [{ x: 1 }] }),
    ).toBeUndefined();
  });

  it('says for suspicious_logins that no row is no suspicious sign-in, not no sign-in', () => {
    expect(noUserEventsNote({ name: 'suspicious_logins' }, { doer_id: 'Ada' }, none)).toBe(
      'note: suspicious_logins finds no suspicious sign-in of doer_id "Ada" in the period: that user did not sign in, signed in only from places and at hours their history holds, or had too little history to be judged; query user_addresses with that user_id lists where they signed in from. doer_id is the number Domo gives a user, not a name: query most_active_users or login_history lists them with their names',
    );
    expect(noUserEventsNote({ name: 'suspicious_logins' }, { doer_id: '' }, none)).toBeUndefined();
    expect(
      noUserEventsNote({ name: 'suspicious_logins' }, { doer_id: '7' }, { rows: [{ x: 1 }] }),
    ).toBeUndefined();
  });

  it('says nothing with rows, or for everyone', () => {
    expect(
      noUserEventsNote({ name: 'admin_changes' }, { doer_id: '7' }, { rows: [{ x: 1 }] }),
    ).toBeUndefined();
    expect(noUserEventsNote({ name: 'admin_changes' }, { doer_id: '' }, none)).toBeUndefined();
    expect(noUserEventsNote({ name: 'period_totals' }, {}, none)).toBeUndefined();
  });
});
