import { describe, expect, it } from 'vitest';
import {
  compileCategoryRules,
  DEFAULT_CATEGORY_RULES,
  parseCategoryRules,
} from '../../../functions/core/domo/category-rules.ts';

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
});
