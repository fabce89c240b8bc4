import { describe, expect, it } from 'vitest';
import { jsonOutput } from '../../functions/cli/json-output.ts';

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
