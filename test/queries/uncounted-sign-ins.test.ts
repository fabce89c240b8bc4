import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_ENDINGS,
  ADMIN_PARTICIPLES,
  ADMINISTERED_THINGS,
  compileCategoryRules,
  DEFAULT_CATEGORY_RULES,
  SIGN_IN_THINGS,
} from '../../functions/core/domo/category-rules.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QuarantineRecord } from '../../functions/core/lake/quarantine-record.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event, login } from './support/lake-fixture.ts';

// Sign-ins the category rules do not recognise are stored as `other`, and sign-ins the ingest
// cannot read are quarantined: neither is in any login figure, so the report tells how many look
// like sign-ins, and by which action type, for the operator to fix the rules.
const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);

type Fields = [actionType: string | null, eventText: string | null, objectName?: string];

/** An event of the period (or of the day given) as the built-in rules would store it. */
const stored = (
  [actionType, eventText, objectName = 'Bob']: Fields,
  hour = 9,
  day = '2026-11-17',
): EventRecord => {
  const category = categorize({ actionType, eventText, objectType: 'USER' });
  return event(`${day} ${String(hour).padStart(2, '0')}:15:00`, {
    action_type: actionType,
    event_text: eventText,
    object_type: 'USER',
    object_name: objectName,
    category,
  });
};

/**
 * An event stored as `other` though it is a sign-in event: the built-in rules leave some of these
 * wordings so, and the rest were stored before the rules knew them (or by a user's rule file).
 */
const storedOther = (fields: Fields, hour = 9, day = '2026-11-17'): EventRecord => ({
  ...stored(fields, hour, day),
  category: 'other',
});

/** Sign-in events in wordings rules may leave as `other`. */
const SIGN_INS: Fields[] = [
  ['LOGON', 'Logged on'],
  ['USER_LOGIN', null],
  ['SSO_LOGIN', 'User signed in via SSO'],
  ['AUTHENTICATION_FAILED', 'Authentication failed'],
  ['AUTHENTICATION_FAILED', 'Authentication failed for bob'],
  ['AUTHENTICATION_FAILED', 'Authentication failed'],
  ['SIGN_IN_REJECTED', 'Sign-in rejected'],
  ['AUTH_EVENT', 'sign-in failed: wrong password'],
  ['MFA_CHALLENGE_FAILED', 'Second factor not given'],
  ['LOGOFF', null],
  ['LOGONFAILURE', null],
  ['INVALID_PASSWORD', null],
  [null, 'User authenticated with SAML'],
  [null, 'Login attempt failed'],
  ['USER_AUTHENTICATED', null],
  // An API client's authentication is one; "used" is no verb of administration.
  ['ACCESS_TOKEN_USED', 'Authenticated with access token'],
];

/** Events of category `other` that only mention sign-ins: administration, views, names. */
const NOT_SIGN_INS: Fields[] = [
  ['VIEWED', 'Viewed page Login History', 'Login History'],
  ['SHARED', 'Shared card Failed sign-ins with Ada', 'Failed sign-ins'],
  ['EDITED', 'Edited card Failed logins', 'Failed logins'],
  ['UPDATED', 'Updated login settings', 'Login settings'],
  ['LOGIN_SETTINGS_UPDATED', 'Changed the sign-in policy'],
  ['ACCOUNT_UNLOCKED', 'Unlocked user Bob'],
  ['LOCKOUT_CLEARED', 'Cleared lockout of Bob'],
  ['PASSWORD_RESET', 'Reset password for Bob'],
  ['PASSWORD_CHANGE_FAILED', 'Password change failed'],
  ['TWO_FACTOR_AUTHENTICATION_ENABLED', 'Enabled two-factor authentication'],
  ['CATALOG_ONBOARDED', 'Onboarded catalog'],
  ['APPROVAL_SIGN_OFF', 'Signed off approval'],
  ['AUTHOR_CHANGED', 'Changed author of card'],
  ['DESIGN_IN_PROGRESS', 'Designed in Analyzer'],
  ['VIEWED', 'Viewed card'],
  // Administration of sign-in, by the verb of the action type.
  ['LOGIN_PAGE_CUSTOMIZED', null],
  ['SSO_LOGIN_URL_CHANGED', 'SSO login URL changed'],
  ['AUTHENTICATION_PROVIDER_ADDED', 'Authentication provider Okta added'],
  ['AUTHENTICATION_METHOD_CHANGED', null],
  ['LOGIN_HISTORY_EXPORTED', null],
  ['LOGIN_BANNER_UPDATED', null],
  ['SIGN_IN_METHOD_REMOVED', null],
  ['LOGIN_POLICY_DELETE', null],
  ['CREATE_SSO_LOGIN', null],
  ['EDIT_LOGIN_PAGE', null],
];

/** Names the built-in rules recognise, stored as `other` (a rule file that said so, older rules). */
const RECOGNISED: Fields[] = [
  ['LOGGED_IN', 'Logged in'],
  ['LOGIN', null],
  ['LOGIN_FAILED', 'Failed login attempt'],
  ['FAILED_LOGIN', null],
  [null, 'Login failed: invalid password'],
  ['LOCKED_OUT', 'User locked out'],
  [null, 'Account locked after 5 failed attempts'],
  ['LOGGED_OUT', null],
  ['ACCOUNT_LOCKED', null],
];

/**
 * Later weeks, one finding each. Week 6: failed sign-ins whose action type also holds a word of
 * administration (a policy, a setting, disabled, reset), which that word vetoed; and the
 * administration of failed logins, which the failure word must not bring back.
 */
const REFUSED: Fields[] = [
  ['AUTHENTICATION_FAILED_ACCOUNT_DISABLED', 'Authentication failed: account disabled'],
  ['SIGN_IN_BLOCKED_BY_POLICY', 'Sign-in blocked by policy'],
  ['LOGON_DENIED_BY_POLICY', null],
  ['SSO_LOGIN_REJECTED_USER_DISABLED', null],
  ['AUTHENTICATION_FAILED_PASSWORD_RESET_REQUIRED', null],
  ['LOGIN_REJECTED_SETTINGS', null],
];
const FAILURES_ADMINISTERED: Fields[] = [
  ['CLEAR_FAILED_LOGINS', null],
  ['RESET_FAILED_LOGIN_COUNT', null],
  ['UNLOCK_FAILED_LOGIN_LOCKOUT', null],
  ['PASSWORD_CHANGE_FAILED', 'Password change failed'],
  [null, 'Password reset after failed password attempts'],
];
/** Week 7: things named after sign-in that an admin worked on, which the built-in rules call other. */
const SIGN_IN_THINGS_ADMINISTERED: Fields[] = [
  [null, 'Login page customized'],
  ['LOGIN_PAGE', 'Login history exported'],
  [null, 'Login banner updated'],
  [null, 'Login method changed'],
  [null, 'Login pages customized'],
  [null, 'Login-page customized'],
  [null, 'Login timeout changed'],
  [null, 'Login attempts limit changed'],
  [null, 'Sign-in page customized'],
  [null, 'User login history exported'],
];
/** ... and sign-ins that name such a thing, or fail (stored as other by the rules of 2026-12-04). */
const SIGN_INS_NAMING_THINGS: Fields[] = [
  [null, 'Login page: user signed in'],
  [null, 'Login for bob failed, account disabled'],
];
/** Week 8: wordings of sign-in events the patterns did not hold. */
const WORDINGS: Fields[] = [
  [null, 'Invalid username or password'],
  [null, 'Password incorrect for user bob'],
  [null, 'User bob was locked after 5 attempts'],
  [null, 'SSO login succeeded'],
  [null, 'User login'],
  [null, 'Too many failed attempts'],
  [null, '2-step verification failed'],
  ['TWO_STEP_VERIFICATION_FAILED', null],
  ['SESSION_STARTED', null],
  ['UserLoggedIn', null],
  ['userLogin', null],
];
/** ... and names that only look like them. */
const WORDINGS_NOT: Fields[] = [
  ['catalogOnboarded', null],
  ['UserLoginPageCustomized', null],
  ['SESSION_STARTUP_SETTINGS', null],
];
/**
 * Week 9: an object named by the sign-in word of its own event, which the text lost with the name;
 * a card named for failed logins still loses it.
 */
const NAMED_OBJECTS: Fields[] = [
  ['AUTH', 'Authentication failed for user bob', 'Authentication'],
  ['SSO', 'Single sign-on failed for bob', 'Single Sign-On'],
  ['SCHEDULED', 'Scheduled card Failed logins', 'Failed logins'],
];

/**
 * Week 11: past-tense and -ing wordings, "into" and "onto" among them, which the word-end rule
 * after "in" or "on" left out (a stored "Logged into Domo" was not counted, though the built-in
 * login rule takes it).
 */
const PAST_AND_ING: Fields[] = [
  [null, 'Logged into Domo'],
  [null, 'logged in'],
  [null, 'Logged on to Domo'],
  [null, 'Signed into Domo'],
  [null, 'Logged onto Domo'],
  [null, 'Signing in'],
  [null, 'User bob signing in'],
  [null, 'Logging into Domo'],
  [null, 'User ada logging in from Chrome'],
  [null, 'Log into Domo'],
];
/** ... and admin texts and words that only start like them, stored as other. */
const PAST_AND_ING_NOT: Fields[] = [
  [null, 'Login page customized'],
  [null, 'Login history exported'],
  [null, 'Signed invoice uploaded'],
  [null, 'Debug logging on for connector X'],
  [null, 'Logging settings changed'],
  [null, 'Signings index rebuilt'],
];

/**
 * Week 12: an admin's work on sign-in failures or lockouts, which the built-in rules call other
 * since R-NUMBERS2 (they were failed sign-ins and lockouts of the admin)...
 */
const FAILURES_THINGS_ADMINISTERED: Fields[] = [
  ['LOGIN_ERRORS_EXPORTED', 'Exported login errors'],
  ['LOGIN_FAILURES_EXPORTED', null],
  ['FAILED_LOGINS_REPORT_EXPORTED', null],
  ['LOGIN_FAILURE_ALERTS_DISABLED', null],
  ['UPDATED', 'Login error message updated'],
  [null, 'Login failure notifications enabled'],
  [null, 'Failed login alerts enabled'],
  [null, 'Lockout alerts enabled'],
  [null, 'Login errors report exported'],
  [null, 'Login error page customized'],
];
/** ... and sign-in events stored as other beside them, still counted. */
const FAILURES_NOT_ADMINISTERED: Fields[] = [
  ['LOGIN_FAILED_PASSWORD_CHANGED', null],
  ['LOGIN', 'Login for bob failed due to an expired certificate'],
];

const dayOfWeek = (weeks: number) => new Date(FROM + weeks * 7 * DAY_MS + DAY_MS).toISOString().slice(0, 10);
/** Events of a later week, as the built-in rules store them... */
const inWeek = (weeks: number) => (fields: Fields, i: number) => stored(fields, i % 20, dayOfWeek(weeks));
/** ... and sign-in events there stored as other. */
const otherInWeek = (weeks: number) => (fields: Fields, i: number) =>
  storedOther(fields, i % 20, dayOfWeek(weeks));

const quarantined = (raw: string, hour: string, n: number): QuarantineRecord => {
  const window = Date.parse(`${hour.replace(' ', 'T')}:00Z`);
  return {
    quarantine_id: `q${hour}-${n}`,
    reason: 'fixture',
    raw,
    window_start_ms: window,
    window_end_ms: window + HOUR_MS,
    ingested_at: '2026-11-17T12:00:00.000Z',
    run_id: 'fixture',
  };
};

/** Sign-ins by users whose names start like a verb of administration (stored four weeks on). */
const NAMESAKES = [
  'Chang Wei logged in',
  'Edith Ross logged in',
  'Clearwater Ann signed in',
  'Viewer Bo logged in',
];
const namesake = (text: string, i: number): EventRecord =>
  event(`2026-12-15 ${String(i).padStart(2, '0')}:15:00`, {
    action_type: null,
    event_text: text,
    object_type: 'USER',
    object_name: 'Bob',
    category: categorize({ actionType: null, eventText: text, objectType: 'USER' }),
  });

const events: EventRecord[] = [
  ...NAMESAKES.map(namesake),
  ...SIGN_INS.map((fields, i) => storedOther(fields, i % 20)),
  ...NOT_SIGN_INS.map((fields, i) => stored(fields, i % 20)),
  storedOther(['LOGON', null], 21),
  // The week after: names the built-in rules know, kept out of their categories.
  ...RECOGNISED.map((fields, i) => ({
    ...event(`2026-11-24 ${String(i).padStart(2, '0')}:00:00`),
    action_type: fields[0],
    event_text: fields[1],
  })),
  // Recognised: counted where they belong, not here.
  login('2026-11-17 10:00', 'login_failed', { action_type: 'LOGIN_FAILED' }),
  login('2026-11-17 10:05', 'login'),
  // Just before the period, and at its end.
  event('2026-11-15 23:59:59.999', { action_type: 'LOGON', event_text: null }),
  event('2026-11-23 00:00:00.000', { action_type: 'LOGON', event_text: null }),
  ...REFUSED.map(otherInWeek(6)),
  ...FAILURES_ADMINISTERED.map((fields, i) => inWeek(6)(fields, i + 10)),
  ...SIGN_IN_THINGS_ADMINISTERED.map(inWeek(7)),
  ...SIGN_INS_NAMING_THINGS.map((fields, i) => otherInWeek(7)(fields, i + 12)),
  ...WORDINGS.map(otherInWeek(8)),
  ...WORDINGS_NOT.map((fields, i) => inWeek(8)(fields, i + 12)),
  ...NAMED_OBJECTS.map(otherInWeek(9)),
  ...PAST_AND_ING.map(otherInWeek(11)),
  ...PAST_AND_ING_NOT.map((fields, i) => otherInWeek(11)(fields, i + 12)),
  ...FAILURES_THINGS_ADMINISTERED.map(inWeek(12)),
  ...FAILURES_NOT_ADMINISTERED.map((fields, i) => otherInWeek(12)(fields, i + 12)),
];

const quarantine: QuarantineRecord[] = [
  // A failed sign-in with an address the ingest cannot read.
  ...[0, 1, 2].map((n) =>
    quarantined(
      JSON.stringify({
        actionType: 'LOGIN_FAILED',
        eventText: 'Failed login attempt',
        ipAddress: { address: '175.45.176.9' },
      }),
      '2026-11-17 09:00',
      n,
    ),
  ),
  // Domo nested its fields: the raw text is all there is to judge.
  quarantined(JSON.stringify({ action: { type: 'SIGNED_IN' }, user: { id: '7' } }), '2026-11-18 09:00', 0),
  // Two weeks on, nested: a failed sign-in whose keys name settings it does not administer.
  quarantined(
    JSON.stringify({ action: { type: 'LOGIN_FAILED' }, settings: { enabled: true } }),
    '2026-12-01 09:00',
    0,
  ),
  // Three weeks on, nested, no sign-in: Domo's key authenticationMethod is no sign-in word.
  quarantined(
    JSON.stringify({ action: { type: 'CARD_SHARED' }, user: { authenticationMethod: 'SSO' } }),
    '2026-12-08 09:00',
    0,
  ),
  // Five weeks on: texts with escaped quotes, read to their end. A sign-in failure...
  quarantined(
    JSON.stringify({
      actionType: 'AUTH_EVENT',
      eventText: 'User "ops" failed to sign in',
      ipAddress: { address: '175.45.176.9' },
    }),
    '2026-12-22 09:00',
    0,
  ),
  // ... and a card named for failed logins, which the text loses with its object's name.
  quarantined(
    JSON.stringify({
      actionType: 'SHARED',
      eventText: 'Shared card "Failed logins" with Ada',
      objectName: '"Failed logins"',
      ipAddress: { address: '175.45.176.9' },
    }),
    '2026-12-22 10:00',
    0,
  ),
  // In snake case.
  quarantined(JSON.stringify({ action_type: 'LOGON', time: 'soon' }), '2026-11-18 10:00', 0),
  // Not sign-ins.
  quarantined(
    JSON.stringify({
      actionType: 'VIEWED',
      eventText: 'Viewed page Login History',
      objectName: 'Login History',
    }),
    '2026-11-18 11:00',
    0,
  ),
  quarantined('12345', '2026-11-18 12:00', 0),
  // Pulled in an hour before the period.
  quarantined(JSON.stringify({ actionType: 'LOGIN_FAILED' }), '2026-11-15 23:00', 0),
  // Ten weeks on, nested: the same entries with their keys in another order, judged alike.
  ...[
    { user: 'bob', event: { type: 'VIEWED', text: 'Viewed page Login History' } },
    { event: { text: 'Viewed page Login History', type: 'VIEWED' }, user: 'bob' },
    { user: 'Ada', action: 'EXPORTED', object: 'Login History' },
    { object: 'Login History', action: 'EXPORTED', user: 'Ada' },
    { type: 'LOGIN_FAILED', description: 'Updated by SSO' },
    { description: 'Updated by SSO', type: 'LOGIN_FAILED' },
    // Two values read so: one entry still.
    { event: { type: 'LOGIN_FAILED', text: 'Login failed' } },
    { action: { type: 'LOCKED_OUT' } },
  ].map((entry, n) => quarantined(JSON.stringify(entry), '2027-01-26 09:00', n)),
];

const period = { instance: 'default', fromMs: FROM, toMs: TO };

const lake = useFixtureEngine('uncounted-sign-ins-', { events, quarantine });

describe('uncounted_sign_ins', () => {
  it('uses fixtures of non-sign-ins the built-in rules leave as other', () => {
    const notSignIns = [
      ...NOT_SIGN_INS,
      ...FAILURES_ADMINISTERED,
      ...SIGN_IN_THINGS_ADMINISTERED,
      ...WORDINGS_NOT,
      ...PAST_AND_ING_NOT,
      ...FAILURES_THINGS_ADMINISTERED,
    ];
    for (const fields of notSignIns) {
      expect(stored(fields).category, String(fields)).toBe('other');
    }
  });

  it('counts the stored other events that read like sign-ins, and the quarantined ones, by action type', async () => {
    const { rows } = await lake.engine.run('uncounted_sign_ins', standardParams(period));
    const bySource = (source: string) => rows.filter((r) => r.source === source);
    const unrecognised = bySource('unrecognised');
    expect(unrecognised.map((r) => [r.action_type, r.entries, r.example_text])).toEqual([
      ['AUTHENTICATION_FAILED', 3, 'Authentication failed'],
      ['LOGON', 2, 'Logged on'],
      // No action type: the text is what a rule can match.
      [null, 2, 'Login attempt failed'],
      ['ACCESS_TOKEN_USED', 1, 'Authenticated with access token'],
      ['AUTH_EVENT', 1, 'sign-in failed: wrong password'],
      ['INVALID_PASSWORD', 1, null],
      ['LOGOFF', 1, null],
      ['LOGONFAILURE', 1, null],
      ['MFA_CHALLENGE_FAILED', 1, 'Second factor not given'],
      ['SIGN_IN_REJECTED', 1, 'Sign-in rejected'],
    ]);
    // 17 in all: SSO_LOGIN, USER_AUTHENTICATED and USER_LOGIN, past the 10 rows listed, are in the
    // total still.
    expect(new Set(unrecognised.map((r) => r.source_entries))).toEqual(new Set([17]));
    // Of the period's 7 quarantined entries (a view and a bare number among them), on those rows only.
    expect(new Set(unrecognised.map((r) => r.quarantined_entries))).toEqual(new Set([null]));
    const entries = { source: 'quarantined', source_entries: 5, quarantined_entries: 7 };
    expect(bySource('quarantined')).toEqual([
      { ...entries, action_type: 'LOGIN_FAILED', example_text: 'Failed login attempt', entries: 3 },
      { ...entries, action_type: 'LOGON', example_text: null, entries: 1 },
      // Nested: the value read as a sign-in event is the example.
      { ...entries, action_type: null, example_text: 'SIGNED_IN', entries: 1 },
    ]);
  });

  it('takes every name the built-in rules recognise as a sign-in event, were it stored as other', async () => {
    for (const fields of RECOGNISED) {
      expect(categorize({ actionType: fields[0], eventText: fields[1] }), String(fields)).not.toBe('other');
    }
    const next = { ...period, fromMs: TO, toMs: TO + 7 * DAY_MS };
    const { rows } = await lake.engine.run('uncounted_sign_ins', standardParams(next));
    // And the LOGON at the first period's end, which is this one's.
    expect(rows.map((r) => [r.action_type, r.entries, r.source_entries])).toEqual([
      [null, 2, 10],
      ['ACCOUNT_LOCKED', 1, 10],
      ['FAILED_LOGIN', 1, 10],
      ['LOCKED_OUT', 1, 10],
      ['LOGGED_IN', 1, 10],
      ['LOGGED_OUT', 1, 10],
      ['LOGIN', 1, 10],
      ['LOGIN_FAILED', 1, 10],
      ['LOGON', 1, 10],
    ]);
  });

  const rowsOfWeek = async (weeks: number) => {
    const fromMs = FROM + weeks * 7 * DAY_MS;
    const { rows } = await lake.engine.run(
      'uncounted_sign_ins',
      standardParams({ ...period, fromMs, toMs: fromMs + 7 * DAY_MS }),
    );
    return rows;
  };
  const weekOn = async (weeks: number) =>
    (await rowsOfWeek(weeks)).map((r) => [r.source, r.action_type, r.entries]);

  it('judges a nested entry by its values, not by the words of its keys', async () => {
    // A failed sign-in, though "settings" and "enabled" are words the action type's exclusion knows.
    expect(await weekOn(2)).toEqual([['quarantined', null, 1]]);
    // Not one, though the key authenticationMethod holds a sign-in word.
    expect(await weekOn(3)).toEqual([]);
  });

  it('reads a verb of administration only as a whole word, not as the start of a name', async () => {
    for (const text of NAMESAKES) expect(namesake(text, 0).category, text).toBe('other');
    expect(await weekOn(4)).toEqual([['unrecognised', null, NAMESAKES.length]]);
  });

  it('reads a quarantined field past its escaped quotes', async () => {
    const fromMs = FROM + 5 * 7 * DAY_MS;
    const { rows } = await lake.engine.run(
      'uncounted_sign_ins',
      standardParams({ ...period, fromMs, toMs: fromMs + 7 * DAY_MS }),
    );
    expect(rows.map((r) => [r.action_type, r.example_text, r.entries])).toEqual([
      ['AUTH_EVENT', 'User "ops" failed to sign in', 1],
    ]);
  });

  it('counts a failed sign-in whose action type also names a policy, a setting or a reset', async () => {
    expect(await weekOn(6)).toEqual([
      ['unrecognised', 'AUTHENTICATION_FAILED_ACCOUNT_DISABLED', 1],
      ['unrecognised', 'AUTHENTICATION_FAILED_PASSWORD_RESET_REQUIRED', 1],
      ['unrecognised', 'LOGIN_REJECTED_SETTINGS', 1],
      ['unrecognised', 'LOGON_DENIED_BY_POLICY', 1],
      ['unrecognised', 'SIGN_IN_BLOCKED_BY_POLICY', 1],
      ['unrecognised', 'SSO_LOGIN_REJECTED_USER_DISABLED', 1],
    ]);
  });

  it('leaves out what the built-in login rule leaves out: admin work on things named after sign-in', async () => {
    expect((await rowsOfWeek(7)).map((r) => [r.action_type, r.example_text, r.entries])).toEqual([
      [null, 'Login for bob failed, account disabled', 2],
    ]);
  });

  it('holds the nouns and participles of the built-in login rule, the same lists', () => {
    const sql = readFileSync(
      new URL('../../functions/queries/uncounted_sign_ins.sql', import.meta.url),
      'utf8',
    );
    expect(sql).toContain(`[ -]+(${SIGN_IN_THINGS.join('|')})(`);
    expect(sql).toContain(`[^a-z:](${ADMIN_PARTICIPLES.join('|')})([^a-z]|$)`);
    // And those of the built-in rules for an admin's work on sign-in failures or lockouts.
    expect(sql).toContain(`(^|_)(${ADMINISTERED_THINGS.join('|')})_.*(${ADMIN_PARTICIPLES.join('|')})$`);
    expect(sql).toContain(`'(${ADMIN_ENDINGS.join('|')})$'`);
    expect(sql).toContain(
      `( (${ADMINISTERED_THINGS.join('|')})){0,1} (${ADMIN_PARTICIPLES.join('|')})([^a-z]|$)`,
    );
    // And the object name is read with the event text's own pattern.
    const objectPattern = /regexp_like\(object_lc, '([^']*)'\)/.exec(sql)?.[1];
    const textPattern = /regexp_like\(text_lc, '([^']*)'\)/.exec(sql)?.[1];
    expect(objectPattern).toBeDefined();
    expect(objectPattern).toBe(textPattern);
  });

  // R-NUMBERS2: the built-in rules call these other now, and this query listed them as sign-in
  // events the rules did not count.
  it('leaves out what the built-in rules leave out: admin work on sign-in failures and lockouts', async () => {
    expect(await weekOn(12)).toEqual([
      ['unrecognised', 'LOGIN', 1],
      ['unrecognised', 'LOGIN_FAILED_PASSWORD_CHANGED', 1],
    ]);
  });

  it('reads the common English wordings of sign-in events, and camel-case action types', async () => {
    const rows = await rowsOfWeek(8);
    expect(rows.map((r) => [r.action_type, r.entries])).toEqual([
      [null, 7],
      ['SESSION_STARTED', 1],
      ['TWO_STEP_VERIFICATION_FAILED', 1],
      ['UserLoggedIn', 1],
      ['userLogin', 1],
    ]);
  });

  it('keeps an event text whose sign-in words are its object name only when the name reads as one event', async () => {
    expect((await rowsOfWeek(9)).map((r) => [r.action_type, r.example_text])).toEqual([
      ['AUTH', 'Authentication failed for user bob'],
      ['SSO', 'Single sign-on failed for bob'],
    ]);
  });

  it('counts past-tense and -ing sign-ins, into and onto too, and no admin text or lookalike', async () => {
    const rows = await rowsOfWeek(11);
    expect(rows.map((r) => [r.source, r.action_type, r.example_text, r.entries])).toEqual([
      ['unrecognised', null, 'Log into Domo', PAST_AND_ING.length],
    ]);
    // Those the built-in login rule takes are counted here when stored as other, as it must be.
    for (const text of ['Logged into Domo', 'logged in', 'Logged on to Domo', 'Signed into Domo']) {
      expect(categorize({ eventText: text }), text).toBe('login');
    }
  });

  it('judges each value of a nested entry on its own, whatever the order of its keys', async () => {
    expect((await rowsOfWeek(10)).map((r) => [r.source, r.action_type, r.example_text, r.entries])).toEqual([
      ['quarantined', null, 'LOCKED_OUT', 4],
    ]);
  });
});
