import { describe, expect, it, vi } from 'vitest';
import { JsonObjectEntries } from '../../../functions/core/alerts/json-object-entries.ts';

/** What the reader makes of `text` fed in pieces of `size` characters: members, and sections' entries. */
function read(text: string, size: number): unknown[] {
  const seen: unknown[] = [];
  const reader = new JsonObjectEntries({
    member: (key, value) => seen.push(['member', key, value]),
    section: (name) => seen.push(['section', name]),
    entry: (section, key, value) => seen.push(['entry', section, key, value]),
  });
  for (let at = 0; at < text.length; at += size) reader.push(text.slice(at, at + size));
  reader.end();
  return seen;
}

/** Calls of String's charCodeAt and indexOf (how the reader looks at text) while `run` runs. */
function looksAtText(run: () => void): number {
  const spies = [vi.spyOn(String.prototype, 'charCodeAt'), vi.spyOn(String.prototype, 'indexOf')];
  try {
    run();
    return spies.reduce((calls, spy) => calls + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const TEXT = JSON.stringify(
  {
    version: 2,
    name: 'a "quoted\\" } ] name',
    users: { 'u,1': [[1, 2, 'US', null, 3]], __proto__x: [], '{': [['\\', null]] },
    list: [1, { a: [2] }],
    empty: {},
    last: -1.5e3,
  },
  null,
  1,
);

describe('JsonObjectEntries', () => {
  it('reads members and section entries alike whatever the pieces are cut at', () => {
    const whole = read(TEXT, TEXT.length);
    expect(whole).toEqual([
      ['member', 'version', 2],
      ['member', 'name', 'a "quoted\\" } ] name'],
      ['section', 'users'],
      ['entry', 'users', 'u,1', [[1, 2, 'US', null, 3]]],
      ['entry', 'users', '__proto__x', []],
      ['entry', 'users', '{', [['\\', null]]],
      ['member', 'list', [1, { a: [2] }]],
      ['section', 'empty'],
      ['member', 'last', -1500],
    ]);
    for (const size of [1, 2, 3, 7, 64]) expect(read(TEXT, size)).toEqual(whole);
  });

  it('refuses what is not one whole JSON object', () => {
    for (const bad of [
      '',
      '[1]',
      '{"a":1',
      '{"a":1,}',
      '{"a" 1}',
      '{"a":1}{',
      '{"a":{"b":1 "c":2}}',
      '{"a":[1}',
    ])
      expect(() => read(bad, 3), bad).toThrow();
  });

  it('looks at each character of a value fed in many pieces a bounded number of times', () => {
    // A value re-scanned from its start on each piece took time quadratic in its size (a 100 MB
    // string: 14 s). Here 10,000 characters in 100 pieces: ~500,000 looks then.
    for (const value of [new Array(5_000).fill(1), '\\"'.repeat(3_333)]) {
      const text = JSON.stringify({ value, users: { u: value } });
      let seen: unknown[] = [];
      const looks = looksAtText(() => {
        seen = read(text, 100);
      });
      expect(seen).toEqual([
        ['member', 'value', value],
        ['section', 'users'],
        ['entry', 'users', 'u', value],
      ]);
      expect(looks).toBeLessThan(2 * text.length);
    }
  });
});
