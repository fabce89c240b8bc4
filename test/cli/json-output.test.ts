import { afterEach, describe, expect, it, vi } from 'vitest';
import { exactJson, jsonOutput } from '../../functions/cli/json-output.ts';

describe("a command's JSON output", () => {
  it('writes DEL, C1 controls, bidi controls and line separators as escapes, and reads back the same', () => {
    const value = {
      name: 'a\u007f\u0085\u009b\u061c\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069z',
      n: 1,
    };
    const text = jsonOutput(value);
    expect(text).toBe(
      '{\n  "name": "a\\u007f\\u0085\\u009b\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069z",\n  "n": 1\n}\n',
    );
    expect(JSON.parse(text)).toEqual(value);
  });

  it('leaves every other character as it is', () => {
    expect(jsonOutput(['Zoë', '日本', 'עברית', '😀'])).toBe(
      '[\n  "Zoë",\n  "日本",\n  "עברית",\n  "😀"\n]\n',
    );
  });
});

describe('bigints in JSON output (review 40, item 3: stringified once, not twice)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are exact number literals, the value stringified once', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    const text = jsonOutput({ n: 12345678901234567n, m: [-9007199254740993n], s: 'bigint_x_1' });
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(text).toBe(
      '{\n  "n": 12345678901234567,\n  "m": [\n    -9007199254740993\n  ],\n  "s": "bigint_x_1"\n}\n',
    );
  });

  it('are written again with another mark when a string of the value held the one drawn', () => {
    const marks = ['bigint_taken_', 'bigint_free_'];
    const next = () => marks.shift() ?? 'bigint_none_';
    const value = { n: 2n ** 64n, s: 'bigint_taken_7', k: { bigint_taken_8: 1 } };
    expect(exactJson(value, next)).toBe(
      '{\n  "n": 18446744073709551616,\n  "s": "bigint_taken_7",\n  "k": {\n    "bigint_taken_8": 1\n  }\n}',
    );
    expect(marks).toEqual([]);
  });
});
