import { describe, expect, it } from 'vitest';
import { JsonArraySplitError, splitJsonArray } from '../../../functions/core/domo/split-json-array.ts';

describe('splitJsonArray', () => {
  it('returns each element as written, without the whitespace around it', () => {
    expect(splitJsonArray(' [ {"a":1} ,\n\t2 , "x" ,null,true,[3, 4] ]\r\n')).toEqual([
      '{"a":1}',
      '2',
      '"x"',
      'null',
      'true',
      '[3, 4]',
    ]);
    expect(splitJsonArray('[]')).toEqual([]);
    expect(splitJsonArray(' [ \n ] ')).toEqual([]);
  });

  it('keeps big integers, duplicate keys and key order that JSON.parse would lose', () => {
    const entry = '{"z":12345678901234567890,"a":1,"a":2, "n" : 1.50e+3}';
    const [text] = splitJsonArray(`[${entry}]`);
    expect(text).toBe(entry);
    expect(JSON.stringify(JSON.parse(entry))).not.toBe(entry);
  });

  it('is not fooled by brackets, commas, quotes and escapes inside strings', () => {
    const entries = [
      String.raw`{"t":"a,b]}[{","q":"say \"hi\", ok","bs":"ends with \\","u":"\u00e9\u2028\ud83d\ude00"}`,
      String.raw`"\\\""`,
      '{"emoji":"😀 é","nested":{"list":[[1,[2,{"k":"]"}]],{}]}}',
    ];
    const body = `[${entries.join(', ')}]`;
    const texts = splitJsonArray(body);
    expect(texts).toEqual(entries);
    expect(texts.map((t) => JSON.parse(t))).toEqual(JSON.parse(body));
  });

  it('handles nesting far deeper than a recursive parser could', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(splitJsonArray(`[1,${deep},{"a":${deep}}]`)).toEqual(['1', deep, `{"a":${deep}}`]);
  });

  it('turns down text that is not one well-formed top-level array', () => {
    for (const bad of [
      '{"a":1}',
      '',
      '[1,2',
      '[1,]',
      '[,1]',
      '[1,,2]',
      '[1}',
      '["open]',
      '[1] x',
      '[{"a":1]',
    ]) {
      expect(() => splitJsonArray(bad), bad).toThrow(JsonArraySplitError);
    }
  });
});
