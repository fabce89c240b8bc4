import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileCategoryRules, DEFAULT_CATEGORY_RULES } from '../../../functions/core/domo/category-rules.ts';

// The rules' regular expressions ran over every entry; a categorizer now judges each (action
// type, event text, object type) once. These prove it judges once, and answers as the rules do.

afterEach(() => {
  vi.restoreAllMocks();
});

/** How many regular-expression tests one call of `run` makes. */
function regexTests(run: () => void): number {
  const test = vi.spyOn(RegExp.prototype, 'test');
  run();
  const calls = test.mock.calls.length;
  test.mockRestore();
  return calls;
}

describe('a categorizer remembering what it judged', () => {
  it('runs the rules once per triple, a missing field read as an empty one', () => {
    const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);
    const entry = { actionType: 'VIEWED', eventText: 'Viewed page', objectType: 'PAGE' };
    expect(regexTests(() => expect(categorize(entry)).toBe('other'))).toBeGreaterThan(0);
    expect(regexTests(() => expect(categorize({ ...entry })).toBe('other'))).toBe(0);
    expect(regexTests(() => categorize({ actionType: 'LOGIN' }))).toBeGreaterThan(0);
    expect(
      regexTests(() =>
        expect(categorize({ actionType: 'LOGIN', eventText: null, objectType: '' })).toBe('login'),
      ),
    ).toBe(0);
  });

  it('keeps the fields apart: a text moved to another field is judged anew', () => {
    const categorize = compileCategoryRules([
      { category: 'lockout', objectType: '^LOCK$' },
      ...DEFAULT_CATEGORY_RULES,
    ]);
    expect(categorize({ actionType: 'LOCK', objectType: '' })).toBe('other');
    expect(categorize({ actionType: '', objectType: 'LOCK' })).toBe('lockout');
    expect(categorize({ eventText: 'LOCK' })).toBe('other');
  });

  it('judges long free texts each time rather than holding them', () => {
    const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);
    const entry = { actionType: 'COMMENTED', eventText: 'x'.repeat(300) };
    categorize(entry);
    expect(regexTests(() => expect(categorize(entry)).toBe('other'))).toBeGreaterThan(0);
  });

  it('starts over past its bound and still answers as the rules do', () => {
    const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);
    const first = { actionType: 'LOGGED_OUT' };
    expect(categorize(first)).toBe('logout');
    // Each new triple seen four times: three hits a triple, so remembering pays and goes on.
    for (let i = 0; i < 5_000; i++) {
      for (let seen = 0; seen < 4; seen++) categorize({ actionType: `ACTION_${i}` });
    }
    expect(regexTests(() => expect(categorize(first)).toBe('logout'))).toBeGreaterThan(0);
    expect(regexTests(() => expect(categorize(first)).toBe('logout'))).toBe(0);
  });

  it('stops remembering once its memory filled with triples that did not repeat', () => {
    const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);
    // Each triple seen twice: one hit a triple, fewer than remembering needs to pay.
    for (let i = 0; i < 5_000; i++) {
      for (let seen = 0; seen < 2; seen++) categorize({ eventText: `Viewed card Sales ${i}` });
    }
    const entry = { actionType: 'LOGGED_IN' };
    expect(categorize(entry)).toBe('login');
    expect(regexTests(() => expect(categorize(entry)).toBe('login'))).toBeGreaterThan(0);
  });
});
