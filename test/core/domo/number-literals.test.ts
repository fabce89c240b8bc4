import { describe, expect, it } from 'vitest';
import { topLevelNumberLiterals } from '../../../functions/core/domo/number-literals.ts';

describe('topLevelNumberLiterals', () => {
  it('gives each direct member number as written, skipping nested values and strings', () => {
    const text =
      '{ "a" : 12345678901234567890, "b":"1e5", "c":{"a":1,"d":[2,3]}, "d":-0.50e-3,"e\\"q":7,"f":[9],"g":true }';
    expect(Object.fromEntries(topLevelNumberLiterals(text))).toEqual({
      a: '12345678901234567890',
      d: '-0.50e-3',
      'e"q': '7',
    });
  });

  it('keeps the last of a repeated key, as JSON.parse does', () => {
    expect(topLevelNumberLiterals('{"a":1,"a":22222222222222222222}').get('a')).toBe('22222222222222222222');
  });

  it('does not take a colon inside a string for a member', () => {
    expect(Object.fromEntries(topLevelNumberLiterals('{"a":"x: 5","b":6}'))).toEqual({ b: '6' });
  });
});
