import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../functions/core/domo/canonical-json.ts';
import { ExactNumber, exactValue, lossy } from '../../../functions/core/domo/exact-numbers.ts';

const read = (text: string) => exactValue(JSON.parse(text), text, 32);

describe('lossy', () => {
  it.each([
    ['0', false],
    ['-0', false],
    ['1.0', false],
    ['1.5e3', false],
    ['0.1', false],
    ['9007199254740992', false],
    ['123456789012345', false],
    ['1e308', false],
    ['9007199254740993', true],
    ['12345678901234567891', true],
    ['0.10000000000000000001', true],
    ['1e400', true],
    ['1e-400', true],
  ])('%s: %s', (literal, expected) => {
    expect(lossy(literal, Number(literal))).toBe(expected);
  });
});

describe('exactValue (review R-HOSTILE2 M2)', () => {
  it('gives back the parsed value itself for an entry JSON.parse read exactly', () => {
    for (const text of [
      '{"time":1790000000001,"objectId":1234567890123}',
      '{"a":"12345678901234567891 in a string","b":1.0,"c":-0}',
      '{"n":9007199254740992}',
    ]) {
      const value = JSON.parse(text);
      expect(exactValue(value, text, 32)).toBe(value);
    }
  });

  it('reads a lossy number as served, at any depth, the rest as JSON.parse does', () => {
    const text = '{"b":[1,{"n":12345678901234567891}],"a":"x","__proto__":{"p":1},"d":1,"d":2}';
    const value = read(text) as Record<string, unknown>;
    expect(canonicalJson(value)).toBe(
      '{"__proto__":{"p":1},"a":"x","b":[1,{"n":12345678901234567891}],"d":2}',
    );
    expect((value.b as unknown[])[1]).toEqual({ n: new ExactNumber('12345678901234567891') });
    expect(canonicalJson(read(text.replace('91}', '92}')))).not.toBe(canonicalJson(value));
  });

  it('keeps the parsed value for an entry nested deeper than the limit', () => {
    const text = `{"n":12345678901234567891,"deep":${'['.repeat(40)}${']'.repeat(40)}}`;
    const value = JSON.parse(text);
    expect(exactValue(value, text, 32)).toBe(value);
  });
});
