/**
 * activity_after_deactivation lists every event in the name of a user deactivated or deleted
 * earlier in the period, until a reactivation (docs/queries.md, activity_after_deactivation), and
 * reads the deactivation forms as functions/core/alerts/deactivation-forms.ts reads them: the
 * `activity_after_deactivation` alert and the query agree on who was deactivated when.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEACTIVATION_PATTERN,
  FORM_WORD_NAME,
  NOT_DONE_CLAUSE_PATTERN,
  NOT_DONE_PATTERN,
  OTHER_SPACES,
  OWN_DEACTIVATION_PATTERN,
  OWN_REACTIVATION_PATTERN,
  PIECE_PATTERN,
  QUOTED_PATTERN,
  REACTIVATION_PATTERN,
  userStateChange,
} from '../../functions/core/alerts/deactivation-forms.ts';
import { detectActivityAfterDeactivation } from '../../functions/core/alerts/detect-activity-after-deactivation.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { hourInput } from '../core/alerts/support/alert-fixtures.ts';
import { activityAfterDeactivation } from './support/expected-investigation.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-23T00:00:00Z');
const TO = Date.parse('2026-11-30T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const ann = { user_id: '5', user_name: 'Ann Admin' };
const yara = { user_id: '77', user_name: 'Yara Varga' };
const state = (time: string, action: string, text: string | null, fields: Partial<EventRecord> = {}) =>
  event(time, {
    ...ann,
    category: 'other',
    action_type: action,
    event_text: text,
    object_type: 'USER',
    object_id: '77',
    object_name: 'Yara Varga',
    ...fields,
  });
const acted = (time: string, fields: Partial<EventRecord> = {}) =>
  event(time, {
    ...yara,
    category: 'other',
    action_type: 'VIEWED',
    object_type: 'CARD',
    object_id: 'c1',
    ...fields,
  });

const events: EventRecord[] = [
  // Before the deactivation: not listed.
  acted('2026-11-24 09:00:00'),
  state('2026-11-24 18:00:00', 'DEACTIVATED', 'Deactivated user'),
  // After it: a view, a sign-in, a token made, an admin acting as Yara, and Yara acting as Bo.
  acted('2026-11-24 21:00:00'),
  acted('2026-11-25 08:00:00', {
    category: 'login',
    action_type: 'LOGGED_IN',
    object_type: 'USER',
    object_id: '77',
  }),
  acted('2026-11-25 08:05:00', { action_type: 'CREATED', object_type: 'ACCESS_TOKEN', object_id: 't9' }),
  acted('2026-11-25 08:10:00', { actor_id: '5', actor_name: 'Ann Admin' }),
  acted('2026-11-25 08:15:00', { user_id: '12', user_name: 'Bo', actor_id: '77', actor_name: 'Yara Varga' }),
  // Failures and lockouts are Domo refusing: not listed.
  acted('2026-11-25 08:20:00', { category: 'login_failed' }),
  // Reactivated, then acting: not listed; deleted again (another form), then acting: listed.
  state('2026-11-26 09:00:00', 'UPDATED', 'Reactivated user'),
  acted('2026-11-26 10:00:00'),
  state('2026-11-27 09:00:00', 'DELETED', 'Deleted user', { object_type: 'user_state' }),
  // A user's own setting turned on is no reactivation, nor one turned off a deactivation.
  state('2026-11-27 10:00:00', 'UPDATED', 'Enabled two-factor authentication'),
  state('2026-11-28 09:30:00', 'UPDATED', 'Disabled email notifications', { object_id: '88' }),
  acted('2026-11-27 11:00:00'),
  // A user updated is no state change; a card deleted is not a user's.
  state('2026-11-28 09:00:00', 'UPDATED', 'Updated user', { object_id: '88' }),
  acted('2026-11-28 10:00:00', { user_id: '88', user_name: 'Cy' }),
  state('2026-11-28 11:00:00', 'DELETED', 'Deleted card', { object_type: 'CARD', object_id: '99' }),
  acted('2026-11-28 12:00:00', { user_id: '99', user_name: 'Di' }),
];

const lake = useFixtureEngine('activity-after-deactivation-', { events });

describe('activity_after_deactivation', () => {
  it('lists each event in a deactivated user’s name, with the deactivation it follows', async () => {
    const { rows } = await lake.engine.run('activity_after_deactivation', {
      ...standardParams(period),
      max_rows: '1000',
    });
    expect(
      rows.map((r) => [
        String(r.event_time).slice(0, 16),
        r.deactivated_user_id,
        r.acted_as,
        String(r.deactivated_at).slice(0, 16),
        r.deactivated_by,
      ]),
    ).toEqual([
      ['2026-11-24 21:00', '77', 'user', '2026-11-24 18:00', 'Ann Admin'],
      ['2026-11-25 08:00', '77', 'user', '2026-11-24 18:00', 'Ann Admin'],
      ['2026-11-25 08:05', '77', 'user', '2026-11-24 18:00', 'Ann Admin'],
      ['2026-11-25 08:10', '77', 'user', '2026-11-24 18:00', 'Ann Admin'],
      ['2026-11-25 08:15', '77', 'actor', '2026-11-24 18:00', 'Ann Admin'],
      ['2026-11-27 11:00', '77', 'user', '2026-11-27 09:00', 'Ann Admin'],
    ]);
    expect(rows.every((r) => Number(r.total_rows) === 6)).toBe(true);
    // Every column, against the answer computed in TypeScript (known-answers.test.ts names this file).
    expect(rows).toEqual(activityAfterDeactivation(events, period, 1000));
    const cut = await lake.engine.run('activity_after_deactivation', {
      ...standardParams(period),
      max_rows: '2',
    });
    expect(cut.rows).toEqual(activityAfterDeactivation(events, period, 2));
  });

  it('reads the state changes as the alert does', () => {
    const read = events.map((e) => userStateChange(e)?.state ?? null).filter((s) => s !== null);
    expect(read).toEqual(['off', 'on', 'off']);
  });
});

/**
 * 2026-12-07: the forms Domo's own wording supports (docs/alerts.md, "activity_after_deactivation"):
 * an article between the verb and the user (`Downloaded a file version`), the object first
 * (`Access token deleted`, so `User state disabled`, `USER_STATE` being Domo's "User State"), and
 * `person` for `user`. One table for the alert and the query: each form changes two users, one
 * deactivated before it and one not, who then sign in. The alert (the detector, over the hour of
 * the sign-ins) and the query both name those the form leaves deactivated, and only those: the
 * first user unless the form is a reactivation, the second if it is a deactivation. `{id}` in a
 * text is the user's id; the object's name is Yara Varga unless the row says otherwise.
 */
const forms: [
  action: string,
  text: string | null,
  state: 'off' | 'on' | null,
  fields?: Partial<EventRecord>,
][] = [
  ['DEACTIVATED', 'Deactivated user', 'off'],
  ['DELETED', null, 'off'],
  ['UPDATED', 'Deleted a user', 'off'],
  ['UPDATED', 'Deactivated the person', 'off'],
  ['UPDATED', 'User state disabled', 'off'],
  ['UPDATED', 'Deactivated user state', 'off'],
  ['UPDATED', 'Person deleted by Ann Admin', 'off'],
  ['UPDATED', 'Restored a user', 'on'],
  ['UPDATED', 'User state enabled.', 'on'],
  ['UPDATED', 'Updated user state', null],
  ['UPDATED', 'Disabled a user notification', null],
  ['UPDATED', 'Deleted user picture', null],
  ['UPDATED', 'User state disabled notifications', null],
  // Something of the user's, not its state: an apostrophe or a hyphen does not end the form.
  ['UPDATED', "Deleted user's picture", null],
  ['UPDATED', 'Deleted user’s access token', null],
  ['UPDATED', 'Deleted user-defined field', null],
  ['UPDATED', "Enabled user's two-factor authentication", null],
  ['UPDATED', 'Deleted user: Bo', 'off'],
  // The action type decides only with no event text or just the user's kind: else the text says
  // what was turned off or on, here the user's settings.
  ['DISABLED', 'Disabled two-factor authentication', null],
  ['ENABLED', 'Enabled two-factor authentication', null],
  ['DELETED', 'Deleted user avatar', null],
  ['USER_DEACTIVATED', '', 'off'],
  ['DEACTIVATED', 'User', 'off'],
  ['DISABLED', 'The person.', 'off'],
  ['REACTIVATED', null, 'on'],
  ['ENABLED', 'Deactivated user', 'off'],
  // The one action type that names nothing but the user's state decides whatever follows it: a
  // name after the user is no setting of theirs (review FINALREVIEW: it was missed).
  ['DEACTIVATED', 'Deactivated user Jo Bloggs', 'off'],
  ['USER_DEACTIVATED', 'Deactivated two users', 'off'],
  ['REACTIVATED', 'Reactivated user Jo Bloggs', 'on'],
  // The user the event is on, named after its kind by id or by name, is that user (DEACT5: a
  // deletion so written was read as nothing); another user's id or name is not.
  ['DELETED', 'Deleted user {id}', 'off'],
  ['UPDATED', 'Deleted user {id} by Ann Admin', 'off'],
  ['DELETED', 'Deleted user Yara Varga', 'off'],
  ['UPDATED', 'User Yara Varga deleted', 'off'],
  ['DELETED', 'Deleted user {id}', 'off', { object_name: null }],
  ['DELETED', 'Deleted user 42', null],
  ['DELETED', 'Deleted user Jo Bloggs', null],
  ['UPDATED', 'User deleted', 'off', { object_name: 'User' }],
  ['DELETED', 'Deleted a person', 'off', { object_name: 'PERSON' }],
  // Only a whole word is taken out, before a space or punctuation (REVIEW88B: a user named `De`
  // made `Deactivated user De` read `activated user`, a reactivation; `U` and `Un` read nothing).
  ['UPDATED', 'Deactivated user De', 'off', { object_name: 'De' }],
  ['UPDATED', 'Deactivated user U', 'off', { object_name: 'U' }],
  ['UPDATED', 'Undeleted user Un', 'on', { object_name: 'Un' }],
  ['UPDATED', 'Deleted user Yara Varga.', 'off'],
  ['UPDATED', 'Deleted user {id}, by Ann Admin', 'off'],
  // A name that is a form's word stays: taken out, it took the verb with it (REVIEW88B).
  ['UPDATED', 'Deleted user Deleted', 'off', { object_name: 'Deleted' }],
  ['UPDATED', 'Enabled user Enabled', 'on', { object_name: 'ENABLED' }],
  ['UPDATED', 'Deleted user Restorff', 'off', { object_name: 'Restorff' }],
  // Undoing a deletion brings the user back (DEACT5: `Un-deleted` read as a deletion).
  ['UPDATED', 'Un-deleted user', 'on'],
  ['UPDATED', 'Un-deleted user {id}', 'on'],
  ['UPDATED', 'Undeleted user', 'on'],
  ['UPDATED', 'Restored user', 'on'],
  ['UNDELETED', null, 'on'],
  ['UN_DELETED', 'User', 'on'],
  ['UPDATED', 'Restored deleted user', 'on'],
  ['UPDATED', 'Re-enabled user', 'on'],
  ['UPDATED', 'Re-activated the user', 'on'],
  ['UPDATED', 'De-activated user', 'off'],
  ['DE_ACTIVATED', 'User', 'off'],
  ['UPDATED', 'Deleted inactive user', 'off'],
  // A name in quotes or brackets is the user's, whatever it says, and white space is a space
  // (DEACT6: `Deactivated user "Ann De"`, `[Bob]`, a tab or a no-break space read as nothing).
  ['UPDATED', 'Deactivated user "Ann De"', 'off'],
  ['UPDATED', 'Deleted user [Bob]', 'off'],
  ['UPDATED', 'Deleted user “Ann De” by Ann Admin', 'off'],
  ['UPDATED', "Deleted user 'Jo Bloggs'.", 'off'],
  ['UPDATED', '"Yara" deleted', null],
  ['UPDATED', 'User [Jo] deleted', 'off'],
  ['UPDATED', 'Enabled user [Failed Restore]', 'on'],
  ['UPDATED', 'Updated user "Deleted user"', null],
  ['UPDATED', "Deleted user's 'avatar'", null],
  ['UPDATED', 'Deleted user (notifications)', null],
  // A parenthesis after the user's own id or name ends the form: a note (DEACT7: read as nothing);
  // the acting admin's name after `by` is no not-done word (an admin named Denial or Failing).
  ['UPDATED', 'Deactivated user Bob (reactivation pending)', 'off', { object_name: 'Bob' }],
  ['UPDATED', 'Deleted user {id} (content not transferred)', 'off'],
  ['UPDATED', 'Deactivated user Yara Varga (by HR)', 'off'],
  ['UPDATED', 'Enabled user Bob (was disabled)', 'on', { object_name: 'Bob' }],
  ['UPDATED', 'Deleted user Jo Bloggs (notifications)', null],
  ['UPDATED', 'Deactivated user by Ann Denial', 'off'],
  ['UPDATED', 'User deleted by Bo Failing', 'off'],
  ['UPDATED', 'Deleted user {id} by Ann Denial', 'off'],
  ['UPDATED', 'Deleted user "Ann', null],
  ['UPDATED', 'Deleted user Ann "Annie" De', 'off', { object_name: 'Ann "Annie" De' }],
  ['UPDATED', 'Deleted\tuser', 'off'],
  ['UPDATED', 'Deleted\u00a0user', 'off'],
  ['UPDATED', 'User\u2009disabled\n', 'off'],
  ['UPDATED', 'Deactivated\u00a0user\u00a0Yara\u00a0Varga', 'off'],
  ['UPDATED', 'Deleted user Yara\tVarga', 'off', { object_name: 'Yara\u00a0Varga' }],
  ['DISABLED', '\t', 'off'],
  // The first form decides: its verb acts on the user, a later one is the user's adjective
  // (DEACT6: `Deleted enabled user` read as a reactivation).
  ['UPDATED', 'Deleted enabled user', 'off'],
  ['UPDATED', 'Deactivated reactivated user', 'off'],
  ['UPDATED', 'Disabled re-enabled user', 'off'],
  ['UPDATED', 'Deleted the restored user', 'off'],
  ['UPDATED', 'Deleted undeleted user', 'off'],
  ['UPDATED', 'Reactivated deactivated user', 'on'],
  ['UPDATED', 'Enabled disabled user', 'on'],
  ['DELETED', 'Enabled user', 'on'],
  // A word saying the change was not made leaves the user as it was (DEACT6: `Cancelled user
  // deletion` read as a deletion); the own action type still decides, unless it holds the word.
  ['UPDATED', 'Cancelled user deletion', null],
  ['UPDATED', 'User deletion canceled', null],
  ['CANCELED', 'Canceled user deactivation', null],
  ['DEACTIVATION_CANCELLED', null, null],
  ['USER_DELETE_FAILED', 'User', null],
  ['UPDATED', 'Failed to deactivate user', null],
  ['UPDATED', 'Attempted to delete user', null],
  ['UPDATED', 'Unable to reactivate user', null],
  ['UPDATED', 'Could not delete user', null],
  ['UPDATED', 'Undo user deletion', null],
  ['UPDATED', 'Reverted user deactivation', null],
  // A reversal or a rollback is an undo too (DEACT7: these read as a deactivation).
  ['DEACTIVATION_REVERSED', null, null],
  ['UPDATED', 'Reversed user deletion', null],
  ['UPDATED', 'Reversal of user deactivation', null],
  ['UPDATED', 'Reverse user deletion', null],
  ['DEACTIVATION_ROLLED_BACK', 'User', null],
  ['UPDATED', 'Rolled back user deletion', null],
  ['UPDATED', 'Rolled-back user deactivation', null],
  ['UPDATED', 'Rollback of user deletion', null],
  // Scheduled, requested or pending is not done yet: the change, when made, comes as its own event
  // (DEACT7: these read as a deactivation, or a reactivation that cleared a real one).
  ['DEACTIVATION_SCHEDULED', null, null],
  ['USER_DEACTIVATION_REQUESTED', 'User', null],
  ['DEACTIVATION_PENDING', null, null],
  ['UPDATED', 'Scheduled user deletion', null],
  ['UPDATED', 'Requested user deactivation', null],
  ['UPDATED', 'User scheduled for deletion', null],
  ['REACTIVATION_SCHEDULED', null, null],
  ['UPDATED', 'Deactivated user, scheduled by HR', 'off'],
  ['UPDATED', 'Deleted user Bob, not reversible', 'off', { object_name: 'Bob' }],
  ['UPDATED', 'Deleted user Ann Not', 'off', { object_name: 'Ann Not' }],
  ['DEACTIVATED', 'Deactivated user after failed sign-ins', 'off'],
  // Only in the form's own sentence: one after it is a note of its own.
  ['UPDATED', 'Deactivated user; did not transfer content', 'off'],
  ['UPDATED', 'Deleted user. Sign-in failed before', 'off'],
  ['UPDATED', 'User deletion failed.', null],
  ['UPDATED', 'Cancelled: user deletion', null],
  // A deactivation's not-done word counts only up to the form's end: after a comma the text is a
  // note (DEACT7: these read as nothing, as with `;` they did not); a reactivation's, anywhere in
  // the sentence, as one missed raises an alert an admin judges and one read wrongly hides it.
  ['UPDATED', 'User deactivated, not deleted', 'off'],
  ['UPDATED', 'Deactivated user, did not transfer content', 'off'],
  ['UPDATED', 'Deleted user {id}, transfer failed', 'off'],
  ['UPDATED', 'Failed to delete user, retrying', null],
  ['UPDATED', 'Restored user, not deleted', null],
  ['UPDATED', 'Reactivated user, failed', null],
  ['DEACTIVATED', 'Reactivated user', 'off'],
  // Nor in a clause before the form, a note of its own (SMALLS4: these read as nothing, a missed
  // alert); in the form's own clause it still counts.
  ['UPDATED', 'Transfer failed; deleted user Bob', 'off', { object_name: 'Bob' }],
  ['UPDATED', 'Content not transferred, deleted user {id}', 'off'],
  ['UPDATED', 'Sign-in failed. User deactivated', 'off'],
  ['UPDATED', 'Transfer failed;deleted user', 'off'],
  ['UPDATED', 'Transfer failed,user deleted', 'off'],
  ['UPDATED', 'Checked groups, could not deactivate user', null],
  ['UPDATED', 'Note; failed to delete user', null],
  ['UPDATED', 'Transfer failed; restored user', null],
  // Letter case and spaces change nothing (`İ` is `i` to both engines: sql-lower.ts).
  ['UPDATED', 'DELETED USER', 'off'],
  ['UPDATED', 'deleted user', 'off'],
  ['UPDATED', '  Deleted   a   user  ', 'off'],
  ['UPDATED', 'DEACTİVATED USER', 'off'],
  ['UPDATED', 'User  Reactivated ', 'on'],
  // Not the user's state: its settings, its groups, another object.
  ['UPDATED', 'Disabled user notifications', null],
  ['UPDATED', 'Notifications disabled by user', null],
  ['UPDATED', 'Deleted access token', null],
  ['UPDATED', 'Updated user', null],
  ['UPDATED', 'Removed user from group', null],
  ['UPDATED', 'Deleted group', null],
  ['DELETED', 'Deleted group', null, { object_type: 'GROUP' }],
  ['DELETED', 'Deleted user', null, { object_type: 'ACCESS_TOKEN' }],
  ['DISABLED_NOTIFICATIONS', null, null],
  ['NOTIFICATIONS_DISABLED', 'User', null],
  ['TWO_FACTOR_ENABLED', null, null],
];
const SIGN_INS = Date.parse('2026-11-24T10:00:00Z');
const formEvents: EventRecord[] = forms.flatMap(([action, text, , more], i) =>
  [String(100 + i), String(500 + i)].flatMap((id, second) => {
    const fields = { object_id: id, event_id: `form-${id}`, ...more };
    const form = state('2026-11-24 09:30:00', action, text?.replaceAll('{id}', id) ?? null, fields);
    const signIn = acted('2026-11-24 10:15:00', {
      user_id: id,
      user_name: `U${id}`,
      event_id: `act-${id}`,
      category: 'login',
      action_type: 'LOGGED_IN',
      object_type: 'USER',
      object_id: id,
    });
    // The first deactivated before, so that a reactivation's form shows as the one that clears it.
    const off = state('2026-11-24 09:00:00', 'DEACTIVATED', 'Deactivated user', {
      object_id: id,
      event_id: `off-${id}`,
    });
    return second === 0 ? [off, form, signIn] : [form, signIn];
  }),
);
const formsLake = useFixtureEngine('activity-after-deactivation-forms-', { events: formEvents });

/** The users each form leaves deactivated: the first unless it is a reactivation, the second if a deactivation. */
const leftOff = forms.flatMap(([, , state], i) => [
  ...(state === 'on' ? [] : [String(100 + i)]),
  ...(state === 'off' ? [String(500 + i)] : []),
]);

describe('activity_after_deactivation, each form as the alert reads it', () => {
  it('reads each form as the table says', () => {
    const read = formEvents
      .filter((e) => e.event_id.startsWith('form-'))
      .map((e) => userStateChange(e)?.state ?? null);
    expect(read).toEqual(forms.flatMap(([, , state]) => [state, state]));
  });

  it('names the users each form leaves deactivated, alike in the alert and in SQL', async () => {
    const alerts = detectActivityAfterDeactivation(hourInput(SIGN_INS, formEvents));
    expect(alerts.map((a) => a.user_id).sort()).toEqual([...leftOff].sort());
    const { rows } = await formsLake.engine.run('activity_after_deactivation', {
      ...standardParams(period),
      max_rows: '1000',
    });
    expect(rows.map((r) => String(r.deactivated_user_id)).sort()).toEqual([...leftOff].sort());
    expect(rows).toEqual(activityAfterDeactivation(formEvents, period, 1000));
  });

  it('holds the patterns the alert reads, as written', () => {
    const sql = readFileSync('functions/queries/activity_after_deactivation.sql', 'utf8');
    expect(sql).toContain(`'${FORM_WORD_NAME}'`);
    const spaces = `${OTHER_SPACES.map((c) => `chr(${c})`).join(' || ')}, '${' '.repeat(OTHER_SPACES.length)}'`;
    expect(sql.replaceAll(/ \|\|\n +/g, ' || ').split(spaces)).toHaveLength(3);
    expect(sql.split(`'${PIECE_PATTERN}'`)).toHaveLength(3);
    expect(sql.split(`piece -> NOT regexp_like(piece, '^(${QUOTED_PATTERN})$')`)).toHaveLength(3);
    expect(sql).toContain(`'${OWN_REACTIVATION_PATTERN}'`);
    expect(sql).toContain(`'${OWN_DEACTIVATION_PATTERN}'`);
    expect(sql).toContain(`regexp_like(lower(action_type), '${NOT_DONE_PATTERN}')`);
    expect(sql).toContain(`regexp_like(state_words, '${NOT_DONE_PATTERN}')`);
    expect(sql).toContain(`strpos(state_words, off_form)),\n          '${NOT_DONE_CLAUSE_PATTERN}')`);
    expect(sql).toContain(`regexp_extract(state_words, '${REACTIVATION_PATTERN}')`);
    expect(sql).toContain(`regexp_extract(state_words, '${DEACTIVATION_PATTERN}')`);
    expect(sql).toContain(`'${REACTIVATION_PATTERN}'`);
    expect(sql).toContain(`'${DEACTIVATION_PATTERN}'`);
  });
});
