import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileCategoryRules,
  DEFAULT_CATEGORY_RULES,
  parseCategoryRules,
} from '../../../functions/core/domo/category-rules.ts';
import { LOGIN_ACTIONS } from '../../../functions/simulator/sim-event.ts';
import { generateInstance } from '../../../functions/simulator/synthetic-instance.ts';

describe('category rules', () => {
  const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);

  it('recognises the login family by action type or event text', () => {
    expect(categorize({ actionType: 'LOGGED_IN', eventText: 'Logged in' })).toBe('login');
    expect(categorize({ actionType: 'LOGIN' })).toBe('login');
    expect(categorize({ actionType: 'LOGIN_FAILED', eventText: 'Failed login attempt' })).toBe(
      'login_failed',
    );
    expect(categorize({ actionType: 'FAILED_LOGIN' })).toBe('login_failed');
    expect(categorize({ eventText: 'Login failed: invalid password' })).toBe('login_failed');
    expect(categorize({ actionType: 'LOCKED_OUT', eventText: 'User locked out' })).toBe('lockout');
    expect(categorize({ eventText: 'Account locked after 5 failed attempts' })).toBe('lockout');
    expect(categorize({ actionType: 'LOGGED_OUT' })).toBe('logout');
  });

  it('leaves everything else as other', () => {
    expect(categorize({ actionType: 'VIEWED', eventText: 'Viewed page', objectType: 'PAGE' })).toBe('other');
    expect(
      categorize({
        actionType: 'UPDATED',
        eventText: 'Updated login settings',
        objectType: 'LOGIN_SETTINGS',
      }),
    ).toBe('other');
    expect(categorize({})).toBe('other');
  });

  it('takes no admin work on a thing named after sign-in for a login', () => {
    for (const [actionType, eventText] of [
      ['LOGIN_PAGE_CUSTOMIZED', 'Login page customized'],
      ['LOGIN_HISTORY_EXPORTED', 'Login history exported'],
      ['LOGIN_BANNER_UPDATED', 'Login banner updated'],
      ['SSO_UPDATED', 'Login method changed to SSO'],
    ]) {
      expect(categorize({ actionType, eventText }), eventText).toBe('other');
    }
    // Sign-ins whose text goes on after the word are still logins.
    expect(categorize({ eventText: 'Login from Chrome on macOS' })).toBe('login');
    expect(categorize({ eventText: 'Login successful' })).toBe('login');
  });

  // The first rule for things named after sign-in knew a few singular nouns: plurals, a hyphen and
  // a participle after another noun were still logins, and a label with a colon no longer one.
  it('tells a login text about a thing an admin worked on from a sign-in', () => {
    const cases: [string, string][] = [
      ['Login pages customized', 'other'],
      ['Login banners updated', 'other'],
      ['Login histories exported', 'other'],
      ['Login URLs changed', 'other'],
      ['Login configurations changed', 'other'],
      ['Login-page customized', 'other'],
      ['Login report exported', 'other'],
      ['Login timeout changed', 'other'],
      ['Login attempts limit changed', 'other'],
      ['Login alerts enabled', 'other'],
      ['Login message updated', 'other'],
      ['Login history', 'other'],
      ['Login method changed to SSO', 'other'],
      ['Login provider Okta added', 'other'],
      ['Login method: password', 'login'],
      ['Login provider Okta', 'login'],
      ['Login page: user signed in', 'login'],
      ['Log-in from Chrome', 'login'],
      ['Login from 10.1.2.3: settings page opened', 'login'],
      ['Login pageant', 'login'],
    ];
    for (const [eventText, category] of cases) expect(categorize({ eventText }), eventText).toBe(category);
  });

  // Wordings uncounted_sign_ins found stored as other that clearly are a sign-in event. Not
  // "Authentication failed" (maybe a connector's), a second factor or a session started: the
  // report tells those, a rule of the user's takes them.
  it('recognises refused sign-ins, user and SSO sign-ins, and a lockout after attempts', () => {
    const cases: [string | undefined, string | undefined, string][] = [
      ['SIGN_IN_BLOCKED_BY_POLICY', 'Sign-in blocked by policy', 'login_failed'],
      [undefined, 'Sign-in blocked by policy', 'login_failed'],
      ['SIGN_IN_BLOCKED_BY_POLICY', undefined, 'login_failed'],
      ['LOGON_DENIED_BY_POLICY', undefined, 'login_failed'],
      ['SSO_LOGIN_REJECTED_USER_DISABLED', undefined, 'login_failed'],
      ['LOGIN_REJECTED_SETTINGS', undefined, 'login_failed'],
      ['SIGN_IN_REJECTED', 'Sign-in rejected', 'login_failed'],
      ['LOGONFAILURE', undefined, 'login_failed'],
      [undefined, 'Invalid username or password', 'login_failed'],
      [undefined, 'Password incorrect for user bob', 'login_failed'],
      [undefined, 'sign-in failed: wrong password', 'login_failed'],
      [undefined, 'User bob was locked after 5 attempts', 'lockout'],
      [undefined, 'Locked after 3 failed login attempts', 'lockout'],
      ['USER_LOGIN', undefined, 'login'],
      ['SSO_LOGIN', 'User signed in via SSO', 'login'],
      ['LOGON', 'Logged on', 'login'],
      ['UserLoggedIn', undefined, 'login'],
      ['userLogin', undefined, 'login'],
      [undefined, 'User login', 'login'],
      [undefined, 'SSO login succeeded', 'login'],
      [undefined, 'Logged into Domo', 'login'],
      [undefined, 'Signed onto Domo', 'login'],
      [undefined, 'logged in', 'login'],
      ['LOGOFF', undefined, 'logout'],
      ['UserLoggedOut', undefined, 'logout'],
      // Still other: administration, content, and what the report tells instead.
      ['LOGIN_POLICY_UPDATED', undefined, 'other'],
      ['USER_LOGIN_SETTINGS_CHANGED', undefined, 'other'],
      [undefined, 'User login history exported', 'other'],
      [undefined, 'Card locked after 5 edits', 'other'],
      // "signed in" only as whole words: none here.
      [undefined, 'Signed invoice uploaded', 'other'],
      [undefined, 'Logged information for audit', 'other'],
      [undefined, 'Password changed', 'other'],
      ['AUTHENTICATION_FAILED', 'Authentication failed', 'other'],
      ['MFA_CHALLENGE_FAILED', undefined, 'other'],
      ['SESSION_STARTED', undefined, 'other'],
    ];
    for (const [actionType, eventText, category] of cases)
      expect(categorize({ actionType, eventText }), `${actionType} ${eventText}`).toBe(category);
  });

  // The failure words match anywhere: content named after failed logins, and a bare "Access
  // denied" (a card someone could not open), were the acting user's failed logins.
  it('takes no failed login from content named after one, nor from a bare access denied', () => {
    const cases: [string | undefined, string, string][] = [
      ['CARD_SHARED', 'Shared card Failed logins with Ada', 'other'],
      [undefined, 'Scheduled report Failed logins', 'other'],
      [undefined, 'Commented: the login failed again', 'other'],
      [undefined, 'Viewed page Failed sign-ins', 'other'],
      ['CARD_VIEWED', 'Access denied', 'other'],
      [undefined, 'Access denied to page Sales', 'other'],
      ['LOGIN', 'Access denied', 'login_failed'],
      ['AUTHENTICATION', 'Access denied', 'login_failed'],
      [undefined, 'Login settings denied access to Bob', 'login_failed'],
      [undefined, 'Access denied: invalid password', 'login_failed'],
      [undefined, 'Login failed: access denied', 'login_failed'],
      [undefined, 'Failed login attempt', 'login_failed'],
      // An action type that names the sign-in says more than the text.
      ['LOGIN_FAILED', 'Viewed page Sales', 'login_failed'],
      ['LOCKED_OUT', 'Viewed card', 'lockout'],
    ];
    for (const [actionType, eventText, category] of cases)
      expect(categorize({ actionType, eventText }), `${actionType} ${eventText}`).toBe(category);
  });

  it('applies user rules in order, all patterns of a rule having to match', () => {
    const custom = compileCategoryRules(
      parseCategoryRules([
        { category: 'login', actionType: '^AUTHENTICATED$', objectType: '^SESSION$' },
        { category: 'lockout', eventText: 'suspended' },
      ]),
    );
    expect(custom({ actionType: 'AUTHENTICATED', objectType: 'SESSION' })).toBe('login');
    expect(custom({ actionType: 'AUTHENTICATED', objectType: 'CARD' })).toBe('other');
    expect(custom({ eventText: 'User SUSPENDED' })).toBe('lockout');
  });

  it('explains what is wrong with bad rules', () => {
    expect(() => parseCategoryRules({})).toThrow(/Expected a JSON array/);
    expect(() => parseCategoryRules([{ category: 'admin', actionType: 'X' }])).toThrow(/\[0\]\.category/);
    expect(() => parseCategoryRules([{ category: 'login' }])).toThrow(/at least one of actionType/);
    expect(() => parseCategoryRules([{ category: 'login', actionType: '(' }])).toThrow(
      /\[0\]\.actionType: "\(" is not a valid regular expression/,
    );
    expect(() => parseCategoryRules([{ category: 'login', action: 'X' }])).toThrow(/\[0\]/);
  });

  // The simulator's names, which only the built-in rules know.
  const security = {
    login: { actionType: 'LOGGED_IN', eventText: 'Logged in' },
    login_failed: { actionType: 'LOGIN_FAILED', eventText: 'Failed login attempt' },
    lockout: { actionType: 'LOCKED_OUT', eventText: 'User locked out' },
    logout: { actionType: 'LOGGED_OUT', eventText: 'Logged out' },
  } as const;

  it("keeps the built-in rules after a file's own, so adding names drops none", () => {
    const custom = compileCategoryRules(
      parseCategoryRules([{ category: 'login', actionType: '^AUTHENTICATED$', objectType: '^SESSION$' }]),
    );
    for (const [category, entry] of Object.entries(security)) expect(custom(entry)).toBe(category);
    expect(custom({ actionType: 'AUTHENTICATED', objectType: 'SESSION' })).toBe('login');
  });

  it("lets a file's rule override a built-in one, to another category or to other", () => {
    const custom = compileCategoryRules(
      parseCategoryRules([
        { category: 'other', eventText: '^log ?in reminder' },
        { category: 'login_failed', actionType: '^LOGIN$', eventText: 'denied' },
      ]),
    );
    expect(categorize({ eventText: 'Login reminder sent' })).toBe('login');
    expect(custom({ eventText: 'Login reminder sent' })).toBe('other');
    expect(custom({ actionType: 'LOGIN', eventText: 'Access denied' })).toBe('login_failed');
    expect(custom({ actionType: 'LOGIN', eventText: 'Logged in' })).toBe('login');
  });

  it('reads {"rules": [...]} like the bare array, and replaces the built-in rules only when told', () => {
    const rules = [
      { category: 'lockout', actionType: '^USER_LOCKED$' },
      { category: 'login_failed', eventText: 'authentication failed' },
      { category: 'login', actionType: '^AUTHENTICATED$' },
    ];
    expect(parseCategoryRules({ rules })).toEqual(parseCategoryRules(rules));
    expect(parseCategoryRules({ rules, replaceBuiltIn: false })).toEqual(parseCategoryRules(rules));
    const alone = compileCategoryRules(parseCategoryRules({ replaceBuiltIn: true, rules }));
    expect(alone(security.login)).toBe('other');
    expect(alone({ actionType: 'AUTHENTICATED' })).toBe('login');
    expect(alone({ actionType: 'USER_LOCKED' })).toBe('lockout');
  });

  it('refuses replacing the built-in rules with rules that cannot give every security category', () => {
    expect(() =>
      parseCategoryRules({
        replaceBuiltIn: true,
        rules: [{ category: 'login', actionType: '^AUTHENTICATED$' }],
      }),
    ).toThrow(/have none for login_failed, lockout: .*remove "replaceBuiltIn"/);
  });

  it('explains what is wrong with a rules object', () => {
    expect(() => parseCategoryRules({ rule: [] })).toThrow(/Expected a JSON array.*"replaceBuiltIn": true/);
    expect(() => parseCategoryRules({ rules: [], replace: true })).toThrow(/unknown key\(s\) "replace"/);
    expect(() => parseCategoryRules({ rules: [], replaceBuiltIn: 'yes' })).toThrow(
      /"replaceBuiltIn" must be true or false, not "yes"/,
    );
    expect(() => parseCategoryRules({ rules: [{ category: 'login' }] }, 'rule')).toThrow(
      /^rule\[0\]: a rule needs at least one of actionType/,
    );
  });

  it('says a misspelt key is unknown, with the key meant, before what its absence breaks (review op2 L7)', () => {
    // The misspelt `category` also leaves the rule without one: that was said, as a bad value.
    expect(() => parseCategoryRules([{ categry: 'login', actionType: '^VIEWED$' }], 'rule')).toThrow(
      /^rule\[0\]: unknown key\(s\) "categry" \(did you mean "category"\?\); remove them or fix the spelling\. Expected a JSON array/,
    );
    expect(() =>
      parseCategoryRules(
        [
          { category: 'login', actionType: 'x' },
          { category: 'other', evntText: 'x', colour: 1 },
        ],
        'rule',
      ),
    ).toThrow(/^rule\[1\]: unknown key\(s\) "evntText" \(did you mean "eventText"\?\), "colour"; /);
    // A second spelling of a key the rule has is no typo of it: no guess.
    expect(() =>
      parseCategoryRules([{ category: 'login', actionType: 'x', actiontype: 'y' }], 'rule'),
    ).toThrow(/^rule\[0\]: unknown key\(s\) "actiontype"; remove them/);
    expect(() => parseCategoryRules({ rule: [] })).toThrow(
      /^unknown key\(s\) "rule" \(did you mean "rules"\?\)/,
    );
    expect(() => parseCategoryRules({ rules: [], replaceBuiltin: true })).toThrow(
      /^unknown key\(s\) "replaceBuiltin" \(did you mean "replaceBuiltIn"\?\)/,
    );
  });

  it("keeps logins, failures and lockouts with the docs' example file", () => {
    const doc = readFileSync(new URL('../../../docs/ingest.md', import.meta.url), 'utf8');
    const example = /To add or correct names[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const custom = compileCategoryRules(parseCategoryRules(JSON.parse(example ?? '')));
    for (const [category, entry] of Object.entries(security)) expect(custom(entry)).toBe(category);
    expect(custom({ actionType: 'USER_LOCKED' })).toBe('lockout');
  });

  // Their words match anywhere in the lockout and failure rules: these administer lockouts and
  // passwords, and were counted as the acting admin's lockouts and failed sign-ins.
  it('calls unlocking, resetting, clearing and lockout or password settings other', () => {
    const admin: [string, string][] = [
      ['UNLOCK_ACCOUNT', 'Unlocked account after lockout'],
      ['LOCKOUT_RESET', 'Reset lockout for user Bob'],
      ['CLEAR_LOCKOUT', 'Cleared lockout for user Bob'],
      ['UPDATED', 'Updated lockout policy'],
      ['PASSWORD_RESET', 'Password reset after failed password attempts'],
    ];
    for (const [actionType, eventText] of admin) {
      expect(categorize({ actionType, eventText }), actionType).toBe('other');
      // Either field alone is enough: an entry may come with one of them only.
      expect(categorize({ actionType }), actionType).toBe('other');
      expect(categorize({ eventText }), eventText).toBe('other');
    }
    expect(categorize({ actionType: 'ACCOUNT_UNLOCKED' })).toBe('other');
    expect(categorize({ eventText: 'Lockout policy changed' })).toBe('other');
    expect(categorize({ eventText: 'Set lockout threshold to 5 failed attempts' })).toBe('other');
  });

  it('keeps the lockouts and failures whose texts only mention what follows them', () => {
    expect(categorize({ eventText: 'Account locked after 5 failed attempts' })).toBe('lockout');
    expect(categorize({ eventText: 'User Bob locked out; an admin can unlock the account' })).toBe('lockout');
    expect(categorize({ actionType: 'LOCKOUT' })).toBe('lockout');
    expect(categorize({ actionType: 'ACCOUNT_LOCKED' })).toBe('lockout');
    expect(categorize({ eventText: 'Failed password for user Bob' })).toBe('login_failed');
    expect(categorize({ eventText: 'Login failed: password reset required' })).toBe('login_failed');
  });

  // The first rules for administration came before every outcome and took these too: a lockout or
  // failed sign-in whose action or text also names a verb, a policy or a setting.
  it('keeps the lockouts and failures that name an admin verb, a policy or a setting', () => {
    const outcomes: [string, string, string][] = [
      ['UPDATE', 'Update failed: user locked out', 'lockout'],
      ['LOGIN_FAILED', 'Login failed: password policy not met', 'login_failed'],
      ['ACCOUNT_LOCKED', 'Account locked by lockout policy', 'lockout'],
      ['USER', 'Account locked out by lockout policy after 5 failed attempts', 'lockout'],
      ['USER', 'User locked out (login settings: 5 attempts)', 'lockout'],
      ['USER', 'Failed login: password settings require MFA', 'login_failed'],
      ['LOCKOUT_POLICY_TRIGGERED', 'User locked out', 'lockout'],
      ['USER', 'Set password failed: account locked', 'lockout'],
      ['LOGIN_FAILED_PASSWORD_RESET', 'Login failed', 'login_failed'],
      ['USER', 'Settings: account locked', 'lockout'],
    ];
    for (const [actionType, eventText, category] of outcomes)
      expect(categorize({ actionType, eventText }), `${actionType} ${eventText}`).toBe(category);
    expect(categorize({ actionType: 'LOCKOUT_POLICY_TRIGGERED' })).toBe('lockout');
    expect(categorize({ actionType: 'LOGIN_FAILED_PASSWORD_RESET' })).toBe('login_failed');
  });

  // A second look: the exclusions above took admin texts that name what they clear, and a refused
  // sign-in fell through to the login rule.
  it('tells clearing failed logins from a failed clearing, and a refused sign-in from a sign-in', () => {
    const cases: [string, string, string][] = [
      ['CLEAR_FAILED_LOGINS', '', 'other'],
      ['RESET_FAILED_LOGIN_COUNT', '', 'other'],
      ['UNLOCK_FAILED_LOGIN_LOCKOUT', '', 'other'],
      ['USER_UPDATED', 'Reset failed login attempts for Bob', 'other'],
      ['USER_UPDATED', 'Cleared failed sign in attempts for Bob', 'other'],
      ['USER_UPDATED', "Reset Bob's failed login count", 'other'],
      ['ADMIN_ACTION', 'Unlocked user Bob, who was locked out', 'other'],
      ['ADMIN_ACTION', 'Cleared lockout: user Bob was locked out', 'other'],
      ['ADMIN_ACTION', 'Unlocked: Bob (locked out since 10:00)', 'other'],
      ['USER', 'Reset password for Bob failed: account locked', 'lockout'],
      ['USER', 'Set password was denied: account locked', 'lockout'],
      ['USER', 'Lockout policy triggered: user Bob locked', 'lockout'],
      ['USER', 'Password policy: account locked after 5 failed attempts', 'lockout'],
      ['USER', 'Password policy violation: failed login', 'login_failed'],
      ['USER', 'Login settings: invalid password for Bob', 'login_failed'],
      ['USER', 'Login policy denied sign in for Bob', 'login_failed'],
      ['USER', 'Login denied: password policy not met', 'login_failed'],
      ['USER', 'Log in denied by sign in policy', 'login_failed'],
      ['USER', 'Login unsuccessful: password policy', 'login_failed'],
      ['USER', 'Login settings denied access to Bob', 'login_failed'],
      ['USER', 'Login refused: invalid password', 'login_failed'],
      ['USER', 'Logged in', 'login'],
      ['USER', 'Login from 10.1.2.3', 'login'],
    ];
    for (const [actionType, eventText, category] of cases)
      expect(
        categorize({ actionType, ...(eventText ? { eventText } : {}) }),
        `${actionType} ${eventText}`,
      ).toBe(category);
  });

  // R-QUERIES LOW 3: a sign-in error counted as a sign-in, a failed attempt left as other, and an
  // object's name read as what happened. Domo's own wording for these is undocumented.
  it('lets an error or failure word win over a sign-in, and takes no outcome from an object name', () => {
    const cases: [string | undefined, string | undefined, string][] = [
      ['SSO_LOGIN_ERROR', 'SSO login error', 'login_failed'],
      ['SSO_LOGIN_ERROR', undefined, 'login_failed'],
      ['LOGIN_ERRORS', undefined, 'login_failed'],
      [undefined, 'SSO login error', 'login_failed'],
      [undefined, 'Login attempt failed', 'login_failed'],
      [undefined, 'Sign-in attempts rejected', 'login_failed'],
      ['LOGIN', 'Login attempt failed', 'login_failed'],
      // A sign-in's action name or text whose outcome is an error: a failed sign-in (R-NUMBERS2:
      // it was other, neither counted as a sign-in nor as a failure).
      ['LOGIN', 'Login: error', 'login_failed'],
      [undefined, 'Login: error', 'login_failed'],
      ['LOGIN', 'Logged in', 'login'],
      ['UPDATED', 'Updated card Locked Out Users', 'other'],
      [undefined, 'Updated card Locked Out Users', 'other'],
      ['DELETED', 'Deleted alert Failed login attempts', 'other'],
      [undefined, 'Created the dataset Failed sign-ins by IP', 'other'],
      [undefined, 'Renamed page Login failed to Sign-in issues', 'other'],
      // The action on the object failed, or a user or account was the object: still an outcome.
      [undefined, 'Updated card Sales failed: account locked', 'lockout'],
      [undefined, 'Updated user Bob: locked out', 'lockout'],
      ['LOCKED_OUT', 'Updated card Locked Out Users', 'lockout'],
      // Left to a rule of the user's, as before: maybe a connector's.
      ['AUTHENTICATION_FAILED', 'Authentication failed', 'other'],
    ];
    for (const [actionType, eventText, category] of cases)
      expect(categorize({ actionType, eventText }), `${actionType} ${eventText}`).toBe(category);
  });

  it("gives every event of the simulator's instance the category it was made for", () => {
    const made: Record<string, string> = {
      [LOGIN_ACTIONS.login.actionType]: 'login',
      [LOGIN_ACTIONS.logout.actionType]: 'logout',
      [LOGIN_ACTIONS.loginFailed.actionType]: 'login_failed',
      [LOGIN_ACTIONS.lockout.actionType]: 'lockout',
    };
    const { events } = generateInstance({
      seed: 'categories',
      fromMs: Date.parse('2026-10-01T00:00:00Z'),
      toMs: Date.parse('2026-10-15T00:00:00Z'),
      users: 20,
    });
    const counts = new Map<string, number>();
    for (const { entry } of events) {
      const fields = {
        actionType: String(entry.actionType),
        eventText: String(entry.eventText),
        objectType: String(entry.objectType),
      };
      const category = categorize(fields);
      expect(category, JSON.stringify(fields)).toBe(made[fields.actionType] ?? 'other');
      counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    // Each category is there, so the check above is not over an instance without them.
    expect([...counts.keys()].sort()).toEqual(['lockout', 'login', 'login_failed', 'logout', 'other']);
  });
});
