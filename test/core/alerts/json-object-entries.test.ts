import { describe, expect, it } from 'vitest';
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
});
